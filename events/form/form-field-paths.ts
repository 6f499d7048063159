import { registrationFormSchema } from './registration-form.schema';
import type { JsonSchema } from './schema/json-schema';

/** Where a list index stands in a path pattern: `app.platforms.*.packageName`. */
const ANY_INDEX = '*';
/** A list index as a path segment: `0`, `12` (no sign, no leading zero). */
const INDEX_SEGMENT = /^(?:0|[1-9]\d{0,5})$/;
/** Keywords whose subschemas describe the same value (alternatives, conditions, combinations). */
const SAME_VALUE = ['anyOf', 'oneOf', 'allOf'] as const;
const CONDITIONAL = ['if', 'then', 'else'] as const;

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

/** Every field path `schema` describes below `prefix`, list indexes as ANY_INDEX. */
function collectPaths(schema: JsonSchema, prefix: readonly string[], into: Set<string>): void {
  const properties = asSchema(schema.properties);
  for (const [key, child] of Object.entries(properties ?? {})) {
    const path = [...prefix, key];
    into.add(path.join('.'));
    const node = asSchema(child);
    if (node) collectPaths(node, path, into);
  }
  const items = asSchema(schema.items);
  if (items) {
    const path = [...prefix, ANY_INDEX];
    into.add(path.join('.'));
    collectPaths(items, path, into);
  }
  for (const keyword of SAME_VALUE) {
    const alternatives = schema[keyword];
    if (!Array.isArray(alternatives)) continue;
    for (const alternative of alternatives) {
      const node = asSchema(alternative);
      if (node) collectPaths(node, prefix, into);
    }
  }
  for (const keyword of CONDITIONAL) {
    const node = asSchema(schema[keyword]);
    if (node) collectPaths(node, prefix, into);
  }
}

/**
 * The registration form's field paths, derived from its schema (`registrationFormSchema`, the one
 * the validator and OpenAPI use): sections, fields and list entries, list indexes as `*`. A field a
 * JSON Schema condition names (`if`/`then`) is a field too: a reviewer may point at it.
 */
export const FORM_FIELD_PATH_PATTERNS: ReadonlySet<string> = (() => {
  const paths = new Set<string>();
  collectPaths(registrationFormSchema.jsonSchema, [], paths);
  return paths;
})();

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The same paths as one anchored regular expression (list indexes as `0`, `12`, …), published as
 * the JSON Schema `pattern` of a field path: what `isFormFieldPath` accepts, no more, no less.
 */
export const FORM_FIELD_PATH_PATTERN = `^(?:${[...FORM_FIELD_PATH_PATTERNS]
  .sort()
  .map((pattern) =>
    pattern
      .split('.')
      .map((segment) => (segment === ANY_INDEX ? INDEX_SEGMENT.source.slice(1, -1) : escapeRegex(segment)))
      .join('\\.'),
  )
  .join('|')})$`;

/**
 * Whether `path` names a field of the registration form in the dotted form validation errors use
 * (`formatPath`): `app.platforms.0.packageName`, `operator.name`, `appPrincipal`. Pure.
 */
export function isFormFieldPath(path: string): boolean {
  if (path === '') return false;
  const pattern = path
    .split('.')
    .map((segment) => (INDEX_SEGMENT.test(segment) ? ANY_INDEX : segment))
    .join('.');
  return FORM_FIELD_PATH_PATTERNS.has(pattern);
}
