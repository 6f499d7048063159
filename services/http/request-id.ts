import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is a short token; six digits in a row could be a phone, a code or an ID number. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DIGIT_RUN = /\d{6}/;

export function acceptableRequestId(value: string | undefined): value is string {
  return value !== undefined && SANE_REQUEST_ID.test(value) && !DIGIT_RUN.test(value);
}

/** The request's id, as the request-id middleware set it (undefined before it ran). */
export function requestIdOf(response: Response): string | undefined {
  const id: unknown = response.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

/** Takes the caller's `X-Request-Id` when acceptable, else makes one; answers it in the same header. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && acceptableRequestId(incoming) ? incoming : randomUUID();
  response.locals.requestId = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  next();
}
