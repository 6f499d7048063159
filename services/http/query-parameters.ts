import type { JsonSchema } from '../../events/form/schema/json-schema';
import { type FieldError, type Parsed, type RequestField, textField } from './request-fields';
import { type RequestObject, type RequestRule, requestObject } from './request-object';

/** Query parameters: each given at most once, as text; nothing the route does not name. */
export function queryOf<F extends Readonly<Record<string, RequestField<unknown>>>>(
  fields: F,
  rules: readonly RequestRule[] = [],
): RequestObject<F> {
  return requestObject(fields, rules, {
    what: 'a parameter of this route',
    object: (input) =>
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {},
    accepts(value, name, errors) {
      if (typeof value === 'string') return true;
      errors.push({ path: name, rule: 'type', message: `${name} must be given once, as text` });
      return false;
    },
    nullIsAbsent: false,
  });
}

/** A whole number in a range, written in decimal digits. */
export function integerField(options: { min: number; max: number; default: number }): RequestField<number> {
  const { min, max } = options;
  return {
    schema: { type: 'integer', minimum: min, maximum: max, default: options.default },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      const number = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
      if (number >= min && number <= max) return number;
      errors.push({
        path: name,
        rule: 'out_of_range',
        message: `${name} must be a whole number from ${min} to ${max}`,
      });
      return undefined;
    },
  };
}

/** At least one of `names` is given and not empty. */
export function atLeastOneGiven(names: readonly string[]): RequestRule {
  const listed = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return {
    schema: { anyOf: names.map((name) => ({ required: [name], properties: { [name]: { minLength: 1 } } })) },
    check(raw, errors) {
      if (errors.length > 0 || names.some((name) => typeof raw[name] === 'string' && raw[name] !== ''))
        return;
      errors.push({ path: '$', rule: 'required', message: `give ${listed}` });
    },
  };
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** `?cursor=&limit=` of a paged list. The cursor's format names the list that issued it. */
export function pageFields(cursorFormat: string) {
  return {
    cursor: {
      ...textField({ max: 512, tooLongRule: 'type' }),
      schema: {
        type: 'string',
        maxLength: 512,
        format: cursorFormat,
        description: 'nextCursor of the previous page',
      },
    },
    limit: integerField({ min: 1, max: MAX_LIMIT, default: DEFAULT_LIMIT }),
  };
}

export interface PageQuery {
  cursor?: string;
  limit: number;
}

/** The values of a paged query, the default limit filled in. */
export function withDefaultLimit<V extends { limit?: number }>(values: V): V & { limit: number } {
  return { ...values, limit: values.limit ?? DEFAULT_LIMIT };
}

/** A list that takes nothing but paging: the bureau's queue. */
export const pageOnlyQuery = queryOf(pageFields('bureau-queue-cursor'));

export function parsePageOnly(input: unknown): Parsed<PageQuery> {
  const parsed = pageOnlyQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}

/** A query as OpenAPI parameters; a rule between parameters needs them as one exploded object. */
export function openApiParameters(
  query: RequestObject<Readonly<Record<string, RequestField<unknown>>>>,
): JsonSchema[] {
  if (query.rules.length > 0) {
    return [
      { name: 'query', in: 'query', required: true, style: 'form', explode: true, schema: query.schema },
    ];
  }
  return Object.entries(query.fields).map(([name, field]) => ({
    name,
    in: 'query',
    required: field.required,
    schema: field.schema,
  }));
}

export type { FieldError };
