import type { BureauDecision, PlatformDecision } from '../../events/filing/filing-commands';

export interface FieldError {
  path: string;
  rule: string;
  message: string;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const MAX_REASONS = 2000;

function asObject(body: unknown, errors: FieldError[]): Record<string, unknown> {
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

function oneOf<T extends string>(
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

function reasons(body: Record<string, unknown>, required: boolean, errors: FieldError[]): string | undefined {
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

function result<T>(value: T, errors: FieldError[]): Parsed<T> {
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
}

export function parsePlatformReview(body: unknown): Parsed<{ decision: PlatformDecision; reasons?: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['decision', 'reasons'], errors);
  const decision = oneOf(object, 'decision', ['approve', 'reject', 'return'] as const, errors);
  return result(
    { decision, reasons: reasons(object, decision === 'reject' || decision === 'return', errors) },
    errors,
  );
}

export function parseBureauReview(body: unknown): Parsed<{ decision: BureauDecision; reasons?: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['decision', 'reasons'], errors);
  const decision = oneOf(object, 'decision', ['approve', 'reject'] as const, errors);
  return result({ decision, reasons: reasons(object, decision === 'reject', errors) }, errors);
}

export function parseReasonsOnly(body: unknown): Parsed<{ reasons?: string }> {
  const errors: FieldError[] = [];
  const object = body === undefined ? {} : asObject(body, errors);
  onlyFields(object, ['reasons'], errors);
  return result({ reasons: reasons(object, false, errors) }, errors);
}

export function parseCorrection(body: unknown): Parsed<{ form: unknown }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['form'], errors);
  if (object.form === undefined) errors.push({ path: 'form', rule: 'required', message: 'form is required' });
  return result({ form: object.form }, errors);
}

export function parseSmsAnswer(body: unknown): Parsed<{ code: string; idLast6: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['code', 'idLast6'], errors);
  const { code, idLast6 } = object;
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    errors.push({
      path: 'code',
      rule: 'sms_code_format',
      message: 'code must be the 6 digits from the 12381 SMS',
    });
  }
  if (typeof idLast6 !== 'string' || !/^\d{5}[\dXx]$/.test(idLast6)) {
    errors.push({
      path: 'idLast6',
      rule: 'id_last6_format',
      message: 'idLast6 must be the last 6 characters of the ID number (digits, the last may be X)',
    });
  }
  return result({ code: String(code), idLast6: String(idLast6).toUpperCase() }, errors);
}
