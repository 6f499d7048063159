import { type NextFunction, type Request, type RequestHandler, type Response, text } from 'express';
import { ValidationProblem } from './problem-details';
import type { BodyLimitOf } from './request-body-gate';

/** The most malformed lines one refused body lists. */
const MAX_LISTED = 100;

/** Whether a request's path is one of `paths` (as Express matches: case-insensitive, trailing slash ignored). */
export function ndjsonPathsOf(paths: readonly string[] = []): (request: Request) => boolean {
  const normal = (path: string) => path.toLowerCase().replace(/(.)\/+$/, '$1');
  const set = new Set(paths.map(normal));
  return (request) => set.has(normal(request.path));
}

/** JSON Lines text as its values, blank lines skipped; a line that is not JSON is named `lines[i]`. */
export function ndjsonLines(body: string): {
  lines: unknown[];
  errors: Array<{ path: string; rule: string; message: string }>;
} {
  const lines: unknown[] = [];
  const errors: Array<{ path: string; rule: string; message: string }> = [];
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      lines.push(JSON.parse(line) as unknown);
    } catch {
      errors.push({
        path: `lines[${lines.length}]`,
        rule: 'malformed_json',
        message: 'the line is not valid JSON',
      });
      lines.push(undefined);
    }
  }
  return { lines, errors: errors.slice(0, MAX_LISTED) };
}

/**
 * `application/x-ndjson` bodies of the routes that take them, read as text within the path's limit
 * and handed on as `{lines: [...]}`, so the route parses them exactly as a JSON `{lines}` body.
 */
export function ndjsonParser(limitOf: BodyLimitOf, accepts: (request: Request) => boolean): RequestHandler {
  const parsers = new Map<string, RequestHandler>();
  return (request: Request, response: Response, next: NextFunction) => {
    if (!accepts(request)) return next();
    const limit = limitOf(request);
    let parser = parsers.get(limit);
    if (!parser) {
      parser = text({ type: 'application/x-ndjson', limit });
      parsers.set(limit, parser);
    }
    parser(request, response, (error?: unknown) => {
      if (error !== undefined || typeof request.body !== 'string') return next(error);
      const { lines, errors } = ndjsonLines(request.body);
      if (errors.length > 0)
        return next(new ValidationProblem(errors, 'the body has lines that are not JSON'));
      request.body = { lines };
      next();
    });
  };
}
