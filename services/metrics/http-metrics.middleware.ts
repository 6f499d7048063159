import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { routeTemplateOf } from '../http/route-template';
import { HttpMetrics } from './http-metrics';

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
/** Label of requests no route matched (unknown paths, static assets, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Counts and times every request once its response is finished, labelled by route template. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<Request, Response> {
  constructor(private readonly metrics: HttpMetrics) {}

  use(request: Request, response: Response, next: () => void): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      this.metrics.observe({
        method: KNOWN_METHODS.has(request.method) ? request.method : 'OTHER',
        route: routeTemplateOf(request) ?? UNMATCHED_ROUTE,
        status: response.statusCode,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    });
    next();
  }
}
