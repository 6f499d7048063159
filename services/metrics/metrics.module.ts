import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

/**
 * `GET /metrics`. Requests are recorded by HttpMetricsMiddleware, which configureHttp installs
 * ahead of the body parser: `configureHttp(app, { requestMetrics: app.get(HttpMetricsMiddleware) })`.
 */
@Module({
  controllers: [MetricsController],
  providers: [HttpMetrics, HttpMetricsMiddleware],
  exports: [HttpMetrics, HttpMetricsMiddleware],
})
export class MetricsModule {}
