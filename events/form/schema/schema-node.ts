import type { FieldPath } from './field-path';
import type { IssueCollector } from './form-issues';
import type { JsonSchema } from './json-schema';

/** Returned by a node whose input broke an error rule; the issues are already reported. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export interface ParseContext {
  /** `YYYY-MM-DD`: rules about time (document expiry, birth dates) count from this day. */
  readonly submittedOn: string;
  readonly issues: IssueCollector;
}

/**
 * One node of a form schema. `parse` reports every problem it finds to `context.issues` and never
 * throws; it returns the value (a fresh copy holding only known fields) or INVALID. Rules no JSON
 * Schema can state (check digits, dates counted from the submission day) are named in `jsonSchema`
 * as formats and decided by `parse` alone.
 */
export interface SchemaNode<T> {
  parse(input: unknown, path: FieldPath, context: ParseContext): T | Invalid;
  /** What `parse` accepts, as JSON Schema, derived from the same declaration (published in OpenAPI). */
  readonly jsonSchema: JsonSchema;
}

export type Infer<Node> = Node extends SchemaNode<infer T> ? T : never;

/** How a wrong value is named in messages: its JSON type, never its content. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
