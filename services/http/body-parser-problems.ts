import type { NextFunction, Request, Response } from 'express';
import { genericProblem, type ProblemDetails, ProblemException, problemType } from './problem-details';

/** The `type`, `status` and `expose` members body-parser (http-errors) sets on what it rejects. */
interface ClientHttpError {
  readonly type?: unknown;
  readonly status: number;
  readonly expose: true;
}

export function isClientHttpError(error: unknown): error is ClientHttpError {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * The problem for a request body the parser refused. Never built from the error's message: for
 * malformed JSON that message quotes part of the body, which may hold personal data.
 */
export function problemFromBodyParserError(error: ClientHttpError, bodyLimit: string): ProblemDetails {
  switch (error.type) {
    case 'entity.parse.failed':
      return {
        type: problemType('malformed-json'),
        title: 'Malformed JSON',
        status: 400,
        detail: 'the request body is not valid JSON',
        errors: [{ path: '$', rule: 'malformed_json', message: 'the request body is not valid JSON' }],
      };
    case 'entity.too.large':
      return {
        type: problemType('body-too-large'),
        title: 'Content Too Large',
        status: 413,
        detail: `the request body exceeds the limit of ${bodyLimit}`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return genericProblem(415, 'the request body must be UTF-8 JSON, without or with a supported encoding');
    default:
      return genericProblem(error.status);
  }
}

/** Express error middleware placed right after the JSON parser, before Nest rewrites its errors. */
export function bodyParserProblems(bodyLimit: string) {
  return (error: unknown, _request: Request, _response: Response, next: NextFunction): void => {
    next(
      isClientHttpError(error) ? new ProblemException(problemFromBodyParserError(error, bodyLimit)) : error,
    );
  };
}
