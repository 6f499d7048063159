import type { NestMiddleware } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { bodyParserProblems } from './body-parser-problems';
import { answerClientError } from './client-errors';
import { setUpOpenApi } from './openapi.setup';
import { ProblemDetailsFilter } from './problem-details.filter';
import { type BodyLimitOf, bodyLimitByPath, requestBodyGate } from './request-body-gate';
import { requestIdMiddleware } from './request-id';
import { requestLogMiddleware, type RequestLogSink } from './request-log';
import { ndjsonParser, ndjsonPathsOf } from './ndjson-body';
import { verifyJsonBody } from './strict-json';

export interface HttpOptions {
  /** Largest JSON body accepted (a number of `b`, `kb` or `mb`); larger ones get 413. Default `256kb`. */
  bodyLimit?: string;
  /**
   * Larger (or smaller) limits for single routes, by exact path: `{'/v1/verify/batch': '4mb'}`. The
   * declared length and the bytes read (chunked bodies too) are held to the path's limit.
   */
  bodyLimitsByPath?: Readonly<Record<string, string>>;
  /** Routes (exact paths) that also take `application/x-ndjson`: read as `{lines: [...]}`. */
  ndjsonPaths?: readonly string[];
  /** Runs first for every request, so it also sees requests the body parser refuses (413, 400). */
  requestMetrics?: NestMiddleware<Request, Response>;
  /**
   * Express `trust proxy` (`ICP_TRUST_PROXY`): the hops or proxy addresses whose `X-Forwarded-For`
   * gives the client's address (`req.ip`, the per-client SMS rate limit). Absent: the socket's peer.
   */
  trustProxy?: number | readonly string[];
  /** Receives one line per answered request (method, route template, status, duration, request id). */
  requestLog?: RequestLogSink;
}

/**
 * Express pipeline of the HTTP API. Call once, before `listen`, on an app created with
 * `{ bodyParser: false }` so that the JSON parser registered here is the only one.
 */
export function configureHttp(app: NestExpressApplication, options: HttpOptions = {}): void {
  const limitOf = bodyLimitByPath(options.bodyLimit ?? '256kb', options.bodyLimitsByPath);
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.getHttpServer().on('clientError', answerClientError);
  app.use(requestIdMiddleware);
  if (options.requestLog) app.use(requestLogMiddleware(options.requestLog));
  const { requestMetrics } = options;
  if (requestMetrics) {
    app.use((request: Request, response: Response, next: () => void) =>
      requestMetrics.use(request, response, next),
    );
  }
  const acceptsNdjson = ndjsonPathsOf(options.ndjsonPaths);
  app.use(requestBodyGate(limitOf, acceptsNdjson));
  app.use(ndjsonParser(limitOf, acceptsNdjson));
  app.use(jsonParserByLimit(limitOf));
  app.use(bodyParserProblems(limitOf));
  app.useGlobalFilters(new ProblemDetailsFilter());
  setUpOpenApi(app);
}

/** The JSON parser, one per distinct limit, each reading at most its path's limit. */
function jsonParserByLimit(limitOf: BodyLimitOf): RequestHandler {
  const parsers = new Map<string, RequestHandler>();
  return (request: Request, response: Response, next: NextFunction) => {
    const limit = limitOf(request);
    let parser = parsers.get(limit);
    if (!parser) {
      parser = json({ limit, verify: verifyJsonBody });
      parsers.set(limit, parser);
    }
    parser(request, response, next);
  };
}
