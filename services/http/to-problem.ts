import { HttpException } from '@nestjs/common';
import { FilingDomainError } from '../../events/filing/filing-errors';
import { isClientHttpError } from './body-parser-problems';
import {
  genericProblem,
  type ProblemDetails,
  ProblemException,
  problemFromFilingError,
} from './problem-details';
import { problemFromTemporalError } from './temporal-problems';

export interface RequestFacts {
  /** False when no route matched the request (Nest's own 404 for unknown routes). */
  readonly routeMatched: boolean;
}

/** Whatever was thrown, the problem the client receives. Never carries an unexpected error's message. */
export function toProblem(exception: unknown, request: RequestFacts): ProblemDetails {
  if (exception instanceof ProblemException) return exception.problem;
  if (exception instanceof HttpException) return problemFromHttpException(exception, request);
  if (exception instanceof FilingDomainError) return problemFromFilingError(exception);
  const fromTemporal = problemFromTemporalError(exception);
  if (fromTemporal) return fromTemporal;
  // Client errors raised by Express-level middleware (e.g. a parser registered outside configureHttp).
  if (isClientHttpError(exception)) return genericProblem(exception.status);
  return genericProblem(500, 'an unexpected error occurred');
}

function problemFromHttpException(exception: HttpException, request: RequestFacts): ProblemDetails {
  const status = exception.getStatus();
  // Nest's not-found handler says "Cannot GET <url>": the URL may carry ids or personal data.
  if (status === 404 && !request.routeMatched) return genericProblem(404, 'no route matches this request');
  if (status >= 500) return genericProblem(status);
  const message = messageOf(exception.getResponse());
  // Express reports an undecodable path parameter as "Failed to decode param '<raw value>'".
  if (message?.startsWith('Failed to decode param')) {
    return genericProblem(400, 'a path parameter is not valid percent-encoding');
  }
  return genericProblem(status, message);
}

function messageOf(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const { message } = response as { message?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message.join('; ');
  return undefined;
}
