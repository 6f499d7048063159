import type { PipeTransform } from '@nestjs/common';
import { SUBJECT_NUMBER_PATTERN, subjectNumberCheck } from '../../events/form/subject-number';
import { issuedAbbreviation } from '../../events/provinces';
import { ValidationProblem } from './problem-details';

/** A subject number as the registry states it (issued abbreviation), and the province it names. */
export interface SubjectNumberRequest {
  subjectNumber: string;
  provinceCode: string;
}

/** What follows a subject number in a service number: `-`, n and the type's suffix. */
const SERVICE_PART = '-[1-9][0-9]{0,5}[AXK]?';
/** The service numbers the route accepts, as published (the subject part as `SUBJECT_NUMBER_PATTERN`). */
export const SERVICE_NUMBER_PATTERN = `${SUBJECT_NUMBER_PATTERN.slice(0, -1)}${SERVICE_PART}$`;
const SERVICE_PART_AT_END = new RegExp(`${SERVICE_PART}$`);

/**
 * `粤ICP备2026000001号`, `京ICP备05012345号` or `粤B2-20090059` (exactly `SUBJECT_NUMBER_PATTERN`),
 * with the province's issued abbreviation (蜀 → 川); undefined for anything else.
 */
export function subjectNumberOf(text: string): SubjectNumberRequest | undefined {
  const check = subjectNumberCheck(text);
  if (!check.ok) return undefined;
  const subjectNumber = `${issuedAbbreviation(check.province)}${text.slice(1)}`;
  return { subjectNumber, provinceCode: check.province.code };
}

/** `粤ICP备2026000001号-2A` and the like (exactly `SERVICE_NUMBER_PATTERN`), as the registry states it. */
export function serviceNumberOf(text: string): string | undefined {
  const servicePart = SERVICE_PART_AT_END.exec(text)?.[0];
  if (servicePart === undefined) return undefined;
  const subject = subjectNumberOf(text.slice(0, -servicePart.length));
  return subject && `${subject.subjectNumber}${servicePart}`;
}

export const SUBJECT_NUMBER_EXAMPLE = '粤ICP备2026000001号';
export const SERVICE_NUMBER_EXAMPLE = '粤ICP备2026000001号-2A';

/** `:subjectNumber`: a subject number, or 400 naming the parameter. */
export const subjectNumberPipe: PipeTransform<unknown, Promise<SubjectNumberRequest>> = {
  async transform(value) {
    const subject = typeof value === 'string' ? subjectNumberOf(value) : undefined;
    if (subject) return subject;
    throw new ValidationProblem([
      {
        path: 'subjectNumber',
        rule: 'subject_number',
        message: `subjectNumber must be a subject number such as ${SUBJECT_NUMBER_EXAMPLE} or 粤B2-20090059`,
      },
    ]);
  },
};

/** `:serviceNumber`: a service number, or 400 naming the parameter. */
export const serviceNumberPipe: PipeTransform<unknown, Promise<string>> = {
  async transform(value) {
    const serviceNumber = typeof value === 'string' ? serviceNumberOf(value) : undefined;
    if (serviceNumber) return serviceNumber;
    throw new ValidationProblem([
      {
        path: 'serviceNumber',
        rule: 'service_number',
        message: `serviceNumber must be a service number such as ${SERVICE_NUMBER_EXAMPLE}`,
      },
    ]);
  },
};
