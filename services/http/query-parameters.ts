import { type FieldError, onlyFields, type Parsed } from './request-fields';

/** Query parameters: each given at most once, as text; paging by cursor. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

export interface PageQuery {
  cursor?: string;
  limit: number;
}

export function queryText(query: Record<string, unknown>, field: string, errors: FieldError[]): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 512) {
    errors.push({ path: field, rule: 'type', message: `${field} must be given once, as text` });
    return undefined;
  }
  return value;
}

export function page(query: Record<string, unknown>, errors: FieldError[]): PageQuery {
  const raw = queryText(query, 'limit', errors);
  const limit = raw === undefined ? DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    errors.push({
      path: 'limit',
      rule: 'out_of_range',
      message: `limit must be a whole number from 1 to ${MAX_LIMIT}`,
    });
  }
  return { cursor: queryText(query, 'cursor', errors), limit };
}

export const onlyParameters = (
  query: Record<string, unknown>,
  allowed: readonly string[],
  errors: FieldError[],
): void => onlyFields(query, allowed, errors, 'a parameter of this route');

export function asRecord(query: unknown): Record<string, unknown> {
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
}

export function parsePageOnly(input: unknown): Parsed<PageQuery> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['cursor', 'limit'], errors);
  const paging = page(query, errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: paging };
}
