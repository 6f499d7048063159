import { type JsonSchema, orNull } from '../../events/form/schema/json-schema';
import type { FieldError, Parsed, RequestField } from './request-fields';

type Fields = Readonly<Record<string, RequestField<unknown>>>;
type ValueOf<F> = F extends RequestField<infer T> ? T : never;
/** What a request's fields read to; a rule or a caller's narrower type says which are always there. */
export type RequestValues<F extends Fields> = { -readonly [K in keyof F]?: ValueOf<F[K]> };

/** A rule between fields: its check and its JSON Schema, from one declaration. */
export interface RequestRule {
  check(raw: Readonly<Record<string, unknown>>, errors: FieldError[]): void;
  readonly schema: JsonSchema;
}

export interface RequestObject<F extends Fields> {
  parse(input: unknown): Parsed<RequestValues<F>>;
  /** The object as JSON Schema: its fields (optional body fields may be null), no others, its rules. */
  readonly schema: JsonSchema;
  readonly fields: F;
  readonly rules: readonly RequestRule[];
}

interface Where {
  /** How an unknown key is named in its error. */
  readonly what: string;
  /** Reads the object out of the input; reports when it is not one. */
  readonly object: (input: unknown, errors: FieldError[]) => Readonly<Record<string, unknown>>;
  /** A given value the fields may read; query values given twice arrive as lists. */
  readonly accepts: (value: unknown, name: string, errors: FieldError[]) => boolean;
  readonly nullIsAbsent: boolean;
}

export function requestObject<F extends Fields>(
  fields: F,
  rules: readonly RequestRule[],
  where: Where,
): RequestObject<F> {
  const entries = Object.entries(fields);
  const properties = Object.fromEntries(
    entries.map(([name, field]) => [
      name,
      where.nullIsAbsent && !field.required ? orNull(field.schema) : field.schema,
    ]),
  );
  return {
    fields,
    rules,
    schema: {
      type: 'object',
      properties,
      required: entries.filter(([, field]) => field.required).map(([name]) => name),
      additionalProperties: false,
      ...(rules.length > 0 ? { allOf: rules.map((rule) => rule.schema) } : {}),
    },
    parse(input) {
      const errors: FieldError[] = [];
      const raw = where.object(input, errors);
      for (const key of Object.keys(raw)) {
        if (!Object.hasOwn(fields, key)) {
          errors.push({ path: key, rule: 'unknown_field', message: `${key} is not ${where.what}` });
        }
      }
      const values: Record<string, unknown> = {};
      for (const [name, field] of entries) {
        const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
        if (value === undefined || (where.nullIsAbsent && value === null)) {
          if (field.required)
            errors.push({ path: name, rule: field.missingRule, message: `${name} is required` });
        } else if (where.accepts(value, name, errors)) {
          values[name] = field.read(value, name, errors);
        }
      }
      for (const rule of rules) rule.check(raw, errors);
      return errors.length === 0 ? { ok: true, value: values as RequestValues<F> } : { ok: false, errors };
    },
  };
}
