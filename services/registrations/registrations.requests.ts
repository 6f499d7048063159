import type { PipeTransform } from '@nestjs/common';
import { accessSchema } from '../../events/form/sections/access.schema';
import { registrationFormSchema } from '../../events/form/registration-form.schema';
import { parseRegistrationNumber } from '../../events/registration-number';
import { jsonBody } from '../http/request-bodies';
import { checkedLaterField, type Parsed, required } from '../http/request-fields';
import { ValidationProblem } from '../http/problem-details';
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

/** Published patterns of the path parameters: what `parseRegistrationNumber` reads, loosely. */
export const SERVICE_NUMBER_PATTERN = '^.+ICP备.+号-[0-9]+[AXK]?$';
export const SUBJECT_NUMBER_PATTERN = '^.+(ICP备.+号|B2-[0-9]+)$';

function numberProblem(name: string, message: string): ValidationProblem {
  return new ValidationProblem([{ path: name, rule: 'registration_number', message }]);
}

/** `:serviceNumber`: a service number, in the form the registry names it by (`川`, not `蜀`). */
export const serviceNumberPipe: PipeTransform<unknown, string> = {
  transform(value) {
    const parsed = typeof value === 'string' ? parseRegistrationNumber(value) : undefined;
    if (parsed?.ok && parsed.number.service) return parsed.number.service.serviceNumber;
    throw numberProblem(
      'serviceNumber',
      'serviceNumber must be a service number such as 粤ICP备2026000123号-1A',
    );
  },
};

/** `:subjectNumber`: a subject number (no service part), as issued. */
export const subjectNumberPipe: PipeTransform<unknown, string> = {
  transform(value) {
    const parsed = typeof value === 'string' ? parseRegistrationNumber(value) : undefined;
    if (parsed?.ok && !parsed.number.service) return parsed.number.subjectNumber;
    throw numberProblem(
      'subjectNumber',
      'subjectNumber must be a subject number such as 粤ICP备2026000123号',
    );
  },
};
