import type { EventToAppend, ExpectedRevision, ReadAllOptions } from '../../events/ports/event-log.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// With the `u` flag a surrogate pair is one code point, so only unpaired halves match.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Lone surrogates are rejected rather than stored: SQLite turns them into U+FFFD in TEXT columns (two
 * different stream ids would collide), they have no UTF-8 form for the hash chain, and EventStoreDB
 * stores UTF-8.
 */
export function assertWellFormedText(text: string, where: string): void {
  if (UNPAIRED_SURROGATE.test(text)) {
    throw new RangeError(
      `${where} contains an unpaired UTF-16 surrogate (U+D800–U+DFFF); event log text must be well-formed Unicode`,
    );
  }
}

export function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new TypeError('stream id must be a non-empty string');
  }
  assertWellFormedText(streamId, `stream id ${JSON.stringify(streamId)}`);
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(
      `expectedRevision must be a revision (integer ≥ 0), 'no_stream' or 'any'; got ${String(expected)}`,
    );
  }
}

/** Validates the batch; returns the ids lower-cased, the form the log stores and compares. */
export function assertEventsToAppend(streamId: string, events: readonly EventToAppend[]): string[] {
  const ids = events.map((event, index) => {
    const where = `stream ${streamId}, event #${index}`;
    if (typeof event.id !== 'string' || !UUID.test(event.id)) {
      throw new TypeError(`${where}: id must be a UUID, got ${JSON.stringify(event.id)}`);
    }
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new TypeError(`${where}: type must be a non-empty string`);
    }
    assertWellFormedText(event.type, `${where}: type`);
    assertJson(event.data, `${where} (${event.id}): data`);
    assertJson(event.metadata, `${where} (${event.id}): metadata`);
    return event.id.toLowerCase();
  });
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) {
    throw new RangeError(`stream ${streamId}: event id ${duplicate} appears twice in one append`);
  }
  return ids;
}

export function assertReadAllOptions(options: ReadAllOptions): void {
  assertCount(options.fromPosition, 'fromPosition', 0);
  assertCount(options.maxCount, 'maxCount', 0);
  if (options.streamPrefix !== undefined) assertWellFormedText(options.streamPrefix, 'streamPrefix');
}

export function assertCount(value: number | undefined, name: string, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw new RangeError(`${name} must be an integer ≥ ${min}; got ${String(value)}`);
  }
}

/** What JSON.stringify would silently change (NaN → null, Date → string, …) is refused instead. */
function assertJson(value: unknown, path: string): void {
  switch (typeof value) {
    case 'string':
      assertWellFormedText(value, path);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`${path} is ${value}, which JSON cannot represent`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item: unknown, index) => assertJson(item, `${path}[${index}]`));
        return;
      }
      if (!isPlainObject(value)) {
        throw new TypeError(`${path} is a ${className(value)}, not plain JSON; convert it first`);
      }
      for (const [key, item] of Object.entries(value)) {
        assertWellFormedText(key, `${path} key ${JSON.stringify(key)}`);
        // An undefined property is dropped by JSON, which is what an optional field means anyway.
        if (item !== undefined) assertJson(item, `${path}.${key}`);
      }
      return;
    default:
      throw new TypeError(`${path} is ${typeof value}, not JSON`);
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function className(value: object): string {
  const constructor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof constructor === 'function' && constructor.name ? constructor.name : 'non-plain object';
}
