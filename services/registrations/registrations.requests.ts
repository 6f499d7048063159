import { accessSchema } from '../../events/form/sections/access.schema';
import { registrationFormSchema } from '../../events/form/registration-form.schema';
import { jsonBody } from '../http/request-bodies';
import { checkedLaterField, type Parsed, required } from '../http/request-fields';
import { reasonsField } from '../filings/filings.requests';

/** A change: the new version in full, validated by `SubmissionPipe.forCorrection` like a correction. */
export const changeBody = jsonBody({ form: required(checkedLaterField(registrationFormSchema.jsonSchema)) });

export function parseChange(body: unknown): Parsed<{ form: unknown }> {
  return changeBody.parse(body) as Parsed<{ form: unknown }>;
}

/** A new access: the `access` section only, checked within the registered form it replaces the access of. */
export const accessBody = jsonBody({ access: required(checkedLaterField(accessSchema.jsonSchema)) });

export function parseAccess(body: unknown): Parsed<{ access: unknown }> {
  return accessBody.parse(body) as Parsed<{ access: unknown }>;
}

/** A cancellation: optional reasons; no body at all is none. */
export const cancellationBody = jsonBody({ reasons: reasonsField }, [], { absentIsEmpty: true });

export function parseCancellation(body: unknown): Parsed<{ reasons?: string }> {
  return cancellationBody.parse(body);
}
