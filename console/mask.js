// Masks personal data for display. Keys name what a value is; the masked value keeps its last 4 characters.

const LAST_FOUR = new Set(['idNumber', 'mobile', 'emergencyContact', 'phone']);

function lastFour(value) {
  const text = String(value);
  return text.length <= 4 ? '*'.repeat(text.length) : `${'*'.repeat(text.length - 4)}${text.slice(-4)}`;
}

/** `lisi@example.com` → `****@example.com`: the mailbox hidden, the domain kept. */
function maskEmail(value) {
  const text = String(value);
  const at = text.lastIndexOf('@');
  return at < 0 ? lastFour(text) : `${'*'.repeat(Math.max(at, 1))}${text.slice(at)}`;
}

/** A person's name: the family name kept, the rest starred (`李四` → `李*`). */
function maskPersonName(value) {
  const chars = [...String(value)];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** Whether `key` under `parentKey` holds personal data, and how to mask it. */
export function maskerFor(key, parentKey) {
  if (LAST_FOUR.has(key)) return lastFour;
  if (key === 'email') return maskEmail;
  // The certificate a subject is registered under may be a resident ID: never shown whole here.
  if (key === 'number' && parentKey === 'operatorCertificate') return lastFour;
  if (key === 'name' && /Principal$/.test(parentKey ?? '')) return maskPersonName;
  return undefined;
}

/** A deep copy of a registration form with its personal data masked. */
export function maskForm(value, key, parentKey) {
  if (Array.isArray(value)) return value.map((item) => maskForm(item, undefined, key ?? parentKey));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, maskForm(inner, name, key)]),
    );
  }
  const masker = key === undefined ? undefined : maskerFor(key, parentKey);
  return masker && value !== null && value !== undefined ? masker(value) : value;
}
