import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { FilingDomainError, FilingErrorCode } from '../../events/filing/filing-errors';

/** One reason a request was refused, placed at a JSON path of what was sent. */
export interface FieldError {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** RFC 9457 problem details, sent as `application/problem+json`. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `https://icp-filing.example/problems/${slug}`;
}

/** A problem with no more meaning than its HTTP status (RFC 9457 §4.2.1: title is the status phrase). */
export function genericProblem(status: number, detail?: string): ProblemDetails {
  const title = STATUS_CODES[status] ?? 'Error';
  return { type: 'about:blank', title, status, detail: detail ?? title };
}

/** Carries a ready problem through Nest to the global filter, which sends it as is. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

/** 400 listing every field that is wrong, e.g. the errors of a registration form. */
export class ValidationProblem extends ProblemException {
  constructor(errors: readonly FieldError[], detail = `the request has ${errors.length} error(s)`) {
    super({
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail,
      // Copied field by field so nothing beyond path, rule and message can reach a response.
      errors: errors.map(({ path, rule, message }) => ({ path, rule, message })),
    });
  }
}

/** The same answer for a filing that does not exist and one outside the caller's scope. */
export function filingNotFoundProblem(): ProblemDetails {
  return {
    type: problemType('filing-not-found'),
    title: 'Not Found',
    status: 404,
    detail: 'filing not found',
  };
}

/** Throw for a filing that does not exist; the answer is identical to an out-of-scope refusal. */
export class FilingNotFound extends ProblemException {
  constructor() {
    super(filingNotFoundProblem());
  }
}

export interface FilingErrorDetails {
  readonly status?: string;
  readonly stage?: string;
  readonly field?: string;
  readonly rule?: string;
}

/** Maps the domain's refusal to a problem; `status` of the details is sent as `filingStatus`. */
export function problemFromFilingError(error: FilingDomainError): ProblemDetails {
  return problemFromFilingRefusal(error.code, error.message, error.details);
}

export function problemFromFilingRefusal(
  code: FilingErrorCode,
  message: string,
  details: FilingErrorDetails,
): ProblemDetails {
  switch (code) {
    case 'wrong_stage':
      return {
        type: problemType('wrong-stage'),
        title: 'Decision does not fit the current stage',
        status: 409,
        detail:
          details.stage && !message.includes(details.stage)
            ? `${message}; the filing's current stage is ${details.stage}`
            : message,
        ...(details.stage ? { stage: details.stage } : {}),
        ...(details.status ? { filingStatus: details.status } : {}),
      };
    case 'out_of_scope':
      return filingNotFoundProblem();
    case 'forbidden_role':
      return { type: problemType('forbidden-role'), title: 'Forbidden', status: 403, detail: message };
    case 'invalid_command':
      return {
        type: problemType('validation'),
        title: 'Invalid request',
        status: 400,
        detail: message,
        errors: [{ path: details.field ?? '$', rule: details.rule ?? 'invalid', message }],
      };
    case 'illegal_transition':
      return {
        type: problemType('illegal-transition'),
        title: 'Illegal transition',
        status: 409,
        detail: message,
        ...(details.status ? { filingStatus: details.status } : {}),
      };
  }
}

const FILING_ERROR_CODES: ReadonlySet<string> = new Set<FilingErrorCode>([
  'wrong_stage',
  'out_of_scope',
  'forbidden_role',
  'invalid_command',
  'illegal_transition',
]);

export function isFilingErrorCode(value: unknown): value is FilingErrorCode {
  return typeof value === 'string' && FILING_ERROR_CODES.has(value);
}
