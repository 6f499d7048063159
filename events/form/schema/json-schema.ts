/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * What `String.prototype.trim` removes, spelled out: `\s` means other sets in other regex engines
 * (the fuzzer's Python reads ASCII only), and a published pattern must mean what the server does.
 */
export const WHITESPACE_CHARACTERS =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** Any run of what `trim` removes. */
export const WHITESPACE_RUN = `[${WHITESPACE_CHARACTERS}]*`;

/** Text that is not blank: unanchored, so it only asks for one character `trim` keeps. */
export const NON_BLANK_PATTERN = `[^${WHITESPACE_CHARACTERS}]`;

/** A regular expression as a JSON Schema `pattern`; flags have no spelling there, so none are allowed. */
export function patternOf(regex: RegExp): string {
  if (regex.flags !== '')
    throw new Error(`a published pattern cannot carry flags: /${regex.source}/${regex.flags}`);
  return regex.source;
}

/** The value as it is, or null, which the server reads as absent. */
export function orNull(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { type: 'null' }] };
}

/** `key` is present and not null. */
export function given(key: string): JsonSchema {
  return { required: [key], properties: { [key]: { not: { type: 'null' } } } };
}

/** `key` is absent or null. */
export function notGiven(key: string): JsonSchema {
  return { properties: { [key]: { type: 'null' } } };
}
