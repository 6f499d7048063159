import type { PlatformDecision } from '../../events/filing/filing-commands';
import {
  asObject,
  decisionReasons,
  type FieldError,
  oneOf,
  onlyFields,
  type Parsed,
  result,
} from '../http/request-fields';

export function parsePlatformReview(body: unknown): Parsed<{ decision: PlatformDecision; reasons?: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['decision', 'reasons'], errors);
  const decision = oneOf(object, 'decision', ['approve', 'reject', 'return'] as const, errors);
  return result(
    { decision, reasons: decisionReasons(object, decision === 'reject' || decision === 'return', errors) },
    errors,
  );
}

export function parseReasonsOnly(body: unknown): Parsed<{ reasons?: string }> {
  const errors: FieldError[] = [];
  const object = body === undefined ? {} : asObject(body, errors);
  onlyFields(object, ['reasons'], errors);
  return result({ reasons: decisionReasons(object, false, errors) }, errors);
}

export function parseCorrection(body: unknown): Parsed<{ form: unknown }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['form'], errors);
  if (object.form === undefined) errors.push({ path: 'form', rule: 'required', message: 'form is required' });
  return result({ form: object.form }, errors);
}
