import { type JsonSchema, patternOf } from '../../events/form/schema/json-schema';

/** One reason a request was refused, placed at the field it is about. */
export interface FieldError {
  path: string;
  rule: string;
  message: string;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * One field of a request body or query, declared once: `schema` is what OpenAPI publishes, `read`
 * what the server checks, both from the same options.
 */
export interface RequestField<T> {
  readonly schema: JsonSchema;
  /** Reads a value that is given (present and not null); reports what is wrong to `errors`. */
  read(value: unknown, name: string, errors: FieldError[]): T | undefined;
  readonly required: boolean;
  /** Reported when a required field is missing: `required` unless the field says otherwise. */
  readonly missingRule: string;
}

/** The longest explanation a decision may carry. */
export const MAX_REASONS = 2000;

/** A field that must be given. */
export function required<T>(field: RequestField<T>, missingRule = 'required'): RequestField<T> {
  return { ...field, required: true, missingRule };
}

/** One of a fixed set of strings. */
export function choiceField<const V extends string>(
  values: readonly V[],
  rule = 'invalid_choice',
): RequestField<V> {
  return {
    schema: { type: 'string', enum: [...values] },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as V;
      errors.push({ path: name, rule, message: `${name} must be one of ${values.join(', ')}` });
      return undefined;
    },
  };
}

export interface TextFieldOptions {
  /** Longest value, in characters (code points), as JSON Schema counts them. */
  readonly max: number;
  readonly tooLongRule?: string;
  /** A shape the value must have: the same expression is published as the field's pattern. */
  readonly shape?: { readonly regex: RegExp; readonly rule: string; readonly message: string };
}

/** A string of bounded length, and of a shape when one is given. */
export function textField(options: TextFieldOptions): RequestField<string> {
  const { max, shape } = options;
  return {
    schema: {
      type: 'string',
      maxLength: max,
      ...(shape ? { pattern: patternOf(shape.regex) } : {}),
    },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      if (typeof value !== 'string') {
        errors.push({ path: name, rule: shape?.rule ?? 'type', message: `${name} must be text` });
      } else if (shape && !shape.regex.test(value)) {
        errors.push({ path: name, rule: shape.rule, message: shape.message });
      } else if (codePoints(value) > max) {
        const rule = options.tooLongRule ?? 'too_long';
        errors.push({ path: name, rule, message: `${name} must be at most ${max} characters` });
      } else {
        return value;
      }
      return undefined;
    },
  };
}

/** Any JSON value, checked later by a pipe of its own (the registration form), published as `schema`. */
export function checkedLaterField(schema: JsonSchema): RequestField<unknown> {
  return { schema, required: false, missingRule: 'required', read: (value) => value };
}

export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}
