/** The pieces every request parser is made of: field errors, a parse result, and the common checks. */
export interface FieldError {
  path: string;
  rule: string;
  message: string;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** The longest explanation a decision may carry. */
export const MAX_REASONS = 2000;

export function asObject(body: unknown, errors: FieldError[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    errors.push({ path: '$', rule: 'type', message: 'the body must be a JSON object' });
    return {};
  }
  return body as Record<string, unknown>;
}

/** Reports every key not in `allowed`: a system of record does not silently drop what it was sent. */
export function onlyFields(
  body: Record<string, unknown>,
  allowed: readonly string[],
  errors: FieldError[],
  what = 'a field of this request',
): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key))
      errors.push({ path: key, rule: 'unknown_field', message: `${key} is not ${what}` });
  }
}

export function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  errors: FieldError[],
): T {
  const value = body[field];
  if (value === undefined) errors.push({ path: field, rule: 'required', message: `${field} is required` });
  else if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    errors.push({
      path: field,
      rule: 'invalid_choice',
      message: `${field} must be one of ${values.join(', ')}`,
    });
  }
  return value as T;
}

export function decisionReasons(body: Record<string, unknown>, required: boolean, errors: FieldError[]): string | undefined {
  const value = body.reasons;
  if (value === undefined || value === null) {
    if (required)
      errors.push({ path: 'reasons', rule: 'required', message: 'reasons are required for this decision' });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ path: 'reasons', rule: 'type', message: 'reasons must be a string' });
    return undefined;
  }
  if (required && value.trim() === '') {
    errors.push({
      path: 'reasons',
      rule: 'required',
      message: 'reasons must not be blank for this decision',
    });
  }
  if (value.length > MAX_REASONS) {
    errors.push({
      path: 'reasons',
      rule: 'too_long',
      message: `reasons must be at most ${MAX_REASONS} characters`,
    });
  }
  return value;
}

export function result<T>(value: T, errors: FieldError[]): Parsed<T> {
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
}
