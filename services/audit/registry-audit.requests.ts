import type { PipeTransform } from '@nestjs/common';
import { parseRegistrationNumber } from '../../events/registration-number';
import { ValidationProblem } from '../http/problem-details';

/** A subject number as the registry states it (issued abbreviation), and the province it names. */
export interface SubjectNumberRequest {
  subjectNumber: string;
  provinceCode: string;
}

/** `粤ICP备2026000001号`, `京ICP备05012345号` or `粤B2-20090059`; undefined for anything else. */
export function subjectNumberOf(text: string): SubjectNumberRequest | undefined {
  const parsed = parseRegistrationNumber(text);
  if (!parsed.ok || parsed.number.service) return undefined;
  return { subjectNumber: parsed.number.subjectNumber, provinceCode: parsed.number.provinceCode };
}

/** `粤ICP备2026000001号-2A` and the like, as the registry states it; undefined for anything else. */
export function serviceNumberOf(text: string): string | undefined {
  const parsed = parseRegistrationNumber(text);
  return parsed.ok ? parsed.number.service?.serviceNumber : undefined;
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
