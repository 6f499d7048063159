import type { BureauDecision } from '../../events/filing/filing-commands';
import {
  asObject,
  decisionReasons,
  type FieldError,
  oneOf,
  onlyFields,
  type Parsed,
  result,
} from '../http/request-fields';

export function parseBureauReview(body: unknown): Parsed<{ decision: BureauDecision; reasons?: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['decision', 'reasons'], errors);
  const decision = oneOf(object, 'decision', ['approve', 'reject'] as const, errors);
  return result({ decision, reasons: decisionReasons(object, decision === 'reject', errors) }, errors);
}
