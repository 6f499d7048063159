import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { requestIdOf } from './request-id';
import { routeTemplateOf } from './route-template';

/** Where the request lines go (the process's logger). */
export interface RequestLogSink {
  info(fields: Record<string, unknown>, message: string): void;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One line per request once it is answered (or the client went away): the route template, never
 * the URL, query, headers or body, which may carry personal data; the filing's id as correlationId.
 */
export function requestLogMiddleware(sink: RequestLogSink) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let logged = false;
    response.once('finish', () => log(true));
    response.once('close', () => log(response.writableFinished));
    const log = (completed: boolean): void => {
      if (logged) return;
      logged = true;
      const correlationId = filingIdOf(request);
      sink.info(
        {
          requestId: requestIdOf(response),
          method: KNOWN_METHODS.has(request.method) ? request.method : 'OTHER',
          route: routeTemplateOf(request) ?? 'unmatched',
          status: response.statusCode,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          ...(completed ? {} : { aborted: true }),
          ...callerOf(request as AuthenticatedRequest),
          ...(correlationId ? { correlationId } : {}),
        },
        'request completed',
      );
    };
    next();
  };
}

function callerOf(request: AuthenticatedRequest): Record<string, string> {
  const actor = request.actor;
  if (!actor) return {};
  return {
    role: actor.role,
    ...(actor.platformId ? { platformId: actor.platformId } : {}),
    ...(actor.province ? { province: actor.province } : {}),
  };
}

/** The `:id` of a filing route, only when it is a UUID: a malformed one could be anything the caller typed. */
function filingIdOf(request: Request): string | undefined {
  const params: unknown = request.params;
  const id =
    typeof params === 'object' && params !== null ? (params as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && UUID.test(id) && routeTemplateOf(request)?.includes('/filings/:id')
    ? id
    : undefined;
}
