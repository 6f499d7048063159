/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members
 * dropped. Two equal values always serialise to the same text, so their hashes agree.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Array.isArray(value) ? arrayJson(value) : objectJson(value as Record<string, unknown>);
  }
  return primitiveJson(value);
}

function primitiveJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new Error(`canonicalJson: ${typeof value} is not JSON`);
    default:
      return 'null';
  }
}

// One string grown in place (V8 concatenates as ropes): no per-member arrays, tuples or joins.
function arrayJson(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out += ',';
    const item = items[i];
    // A hole in a sparse array stays empty text, as Array#map + join wrote it.
    if (item !== undefined) out += canonicalJson(item);
    else if (i in items) out += 'null';
  }
  return `${out}]`;
}

function objectJson(object: Record<string, unknown>): string {
  // Own enumerable string keys (as Object.entries); the default sort orders strings by UTF-16 code unit.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += first ? JSON.stringify(key) : `,${JSON.stringify(key)}`;
    out += `:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}
