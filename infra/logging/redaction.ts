/**
 * What must never reach a log line: the keys that hold personal data or credentials wherever they
 * appear, and a scrubber for values that look like personal data in any string.
 */
export const REDACTED = '[redacted]';

const PERSONAL_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'idNumber',
  'idLast6',
  'mobile',
  'phone',
  'email',
  'code',
  'form',
  'principal',
  'body',
  'query',
  'headers',
] as const;

/** pino `redact` paths: the keys at the top level and one level down (pino wildcards span one level). */
export const REDACT_PATHS: readonly string[] = PERSONAL_KEYS.flatMap((key) => [key, `*.${key}`]);

const PERSONAL_KEY_SET: ReadonlySet<string> = new Set(PERSONAL_KEYS.map((key) => key.toLowerCase()));

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** GB 11643 resident ID: 17 digits and a digit or X, not part of a longer token. */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** A mainland mobile number, with or without +86. */
const PHONE = /(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
/** An SMS code or the last six of an ID number, in free text only (province codes are six digits too). */
const SIX_DIGITS = /(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])/g;

/** The string with e-mail addresses, ID numbers and phone numbers replaced. */
export function scrubValue(text: string): string {
  return text.replace(EMAIL, REDACTED).replace(ID_NUMBER, REDACTED).replace(PHONE, REDACTED);
}

/** A message or error text: as scrubValue, and six-digit numbers (codes) replaced too. */
export function scrubFreeText(text: string): string {
  return scrubValue(text).replace(SIX_DIGITS, REDACTED);
}

/** A copy of a log object with personal keys redacted and every string scrubbed, at any depth. */
export function scrubFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubValue(value);
  if (value instanceof Error) return scrubError(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubFields(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = PERSONAL_KEY_SET.has(key.toLowerCase()) ? REDACTED : scrubFields(field, depth + 1);
  }
  return copy;
}

function scrubError(error: Error): Record<string, unknown> {
  return {
    type: error.name,
    message: scrubFreeText(error.message),
    ...(error.stack ? { stack: scrubFreeText(error.stack) } : {}),
  };
}
