import type { PlatformDecision } from '../../events/filing/filing-commands';
import { registrationFormSchema } from '../../events/form/registration-form.schema';
import { jsonBody, nonBlankWhen } from '../http/request-bodies';
import {
  checkedLaterField,
  choiceField,
  MAX_REASONS,
  type Parsed,
  required,
  textField,
} from '../http/request-fields';

/** The explanation a decision may carry: required (non-blank) where the decision says so. */
export const reasonsField = textField({ max: MAX_REASONS });

export const platformReviewBody = jsonBody(
  { decision: required(choiceField(['approve', 'reject', 'return'] as const)), reasons: reasonsField },
  [nonBlankWhen('reasons', 'decision', ['reject', 'return'])],
);

export function parsePlatformReview(body: unknown): Parsed<{ decision: PlatformDecision; reasons?: string }> {
  return platformReviewBody.parse(body) as Parsed<{ decision: PlatformDecision; reasons?: string }>;
}

/** Resubmission and withdrawal: optional reasons; no body at all is no reasons. */
export const reasonsOnlyBody = jsonBody({ reasons: reasonsField }, [], { absentIsEmpty: true });

export function parseReasonsOnly(body: unknown): Parsed<{ reasons?: string }> {
  return reasonsOnlyBody.parse(body);
}

/** The corrected form is validated in full by `SubmissionPipe.forCorrection`, against the same schema. */
export const correctionBody = jsonBody({
  form: required(checkedLaterField(registrationFormSchema.jsonSchema)),
});

export function parseCorrection(body: unknown): Parsed<{ form: unknown }> {
  return correctionBody.parse(body) as Parsed<{ form: unknown }>;
}
