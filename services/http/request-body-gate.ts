import type { NextFunction, Request, Response } from 'express';
import { type ProblemDetails, ProblemException, problemType } from './problem-details';

const BYTE_LIMIT = /^(\d+)\s*(b|kb|mb)?$/i;
const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 * 1024 };
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** `256kb` → 262144 (body-parser's reading: 1 kb = 1024 bytes). */
export function parseByteLimit(limit: string): number {
  const match = BYTE_LIMIT.exec(limit.trim());
  if (!match) throw new RangeError(`body limit "${limit}" must be a number of b, kb or mb`);
  return Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

/** The largest body a request may carry, by its path: the routes that need more name it, all others the default. */
export type BodyLimitOf = (request: Request) => string;

/** Normalised as Express routes match by default: case-insensitive, a trailing slash ignored. */
function routePath(path: string): string {
  return path.toLowerCase().replace(/(.)\/+$/, '$1');
}

/**
 * `bodyLimit` for every path except those `byPath` names (exact paths, such as `/v1/verify/batch`).
 * @throws RangeError naming a limit that is not a number of b, kb or mb.
 */
export function bodyLimitByPath(
  bodyLimit: string,
  byPath: Readonly<Record<string, string>> = {},
): BodyLimitOf {
  const limits = new Map(Object.entries(byPath).map(([path, limit]) => [routePath(path), limit]));
  for (const limit of [bodyLimit, ...limits.values()]) parseByteLimit(limit);
  return (request) => limits.get(routePath(request.path)) ?? bodyLimit;
}

export function bodyTooLargeProblem(bodyLimit: string): ProblemDetails {
  return {
    type: problemType('body-too-large'),
    title: 'Content Too Large',
    status: 413,
    detail: `the request body exceeds the limit of ${bodyLimit}`,
  };
}

export function unsupportedMediaTypeProblem(detail: string): ProblemDetails {
  return {
    type: problemType('unsupported-media-type'),
    title: 'Unsupported Media Type',
    status: 415,
    detail,
    errors: [{ path: 'Content-Type', rule: 'unsupported_media_type', message: detail }],
  };
}

/**
 * Runs before the JSON parser. A request that carries a body must say `Content-Type:
 * application/json` (UTF-8): any other body would reach the routes as no body at all, and a
 * withdrawal sent as `text/plain` would withdraw. A `Content-Length` over the limit is answered 413
 * at once, before a byte of the body is read (the JSON parser would first read the whole declared
 * length, discarding it, and only then answer). Node then discards whatever of the body still
 * arrives; the connection is not closed under the client's upload, which would reset it and lose the
 * answer.
 */
export function requestBodyGate(
  limitOf: BodyLimitOf,
  acceptsNdjson: (request: Request) => boolean = () => false,
) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const declared = request.headers['content-length'];
    const length = declared === undefined ? undefined : Number(declared);
    const hasBody =
      request.headers['transfer-encoding'] !== undefined || (length !== undefined && length > 0);
    if (!hasBody) {
      next();
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
    const ndjson = mediaType === 'application/x-ndjson' && acceptsNdjson(request);
    if (mediaType !== 'application/json' && !ndjson) {
      next(
        new ProblemException(unsupportedMediaTypeProblem('a request body must be sent as application/json')),
      );
      return;
    }
    const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(new ProblemException(unsupportedMediaTypeProblem('a JSON request body must be UTF-8')));
      return;
    }
    const bodyLimit = limitOf(request);
    if (length !== undefined && length > parseByteLimit(bodyLimit)) {
      next(new ProblemException(bodyTooLargeProblem(bodyLimit)));
      return;
    }
    next();
  };
}
