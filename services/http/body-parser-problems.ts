import type { NextFunction, Request, Response } from 'express';
import { genericProblem, type ProblemDetails, ProblemException, problemType } from './problem-details';
import { type BodyLimitOf, bodyTooLargeProblem, unsupportedMediaTypeProblem } from './request-body-gate';
import { UnacceptedJsonError } from './strict-json';

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
  if (error instanceof UnacceptedJsonError) {
    return {
      type: problemType('unaccepted-json'),
      title: 'Invalid JSON',
      status: 400,
      detail: 'the request body is JSON this API does not accept',
      errors: error.errors.map(({ path, rule, message }) => ({ path, rule, message })),
    };
  }
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
      return bodyTooLargeProblem(bodyLimit);
    case 'encoding.unsupported':
      return {
        ...unsupportedMediaTypeProblem('the Content-Encoding of the request body is not supported'),
        errors: [
          {
            path: 'Content-Encoding',
            rule: 'unsupported_encoding',
            message: 'use identity, gzip, deflate or br',
          },
        ],
      };
    case 'charset.unsupported':
      return unsupportedMediaTypeProblem('a JSON request body must be UTF-8');
    default:
      // e.g. a gzip body that does not inflate, or an upload cut short.
      return error.status === 400
        ? {
            ...genericProblem(400, 'the request body could not be read'),
            errors: [{ path: '$', rule: 'unreadable_body', message: 'the request body could not be read' }],
          }
        : genericProblem(error.status);
  }
}

/** Express error middleware placed right after the JSON parser, before Nest rewrites its errors. */
export function bodyParserProblems(limitOf: BodyLimitOf) {
  return (error: unknown, request: Request, _response: Response, next: NextFunction): void => {
    next(
      isClientHttpError(error)
        ? new ProblemException(problemFromBodyParserError(error, limitOf(request)))
        : error,
    );
  };
}
