import 'reflect-metadata';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppRoles } from '../app.module';
import { configureHttp } from '../../services/http/configure-http';
import { HttpMetricsMiddleware } from '../../services/metrics/http-metrics.middleware';
import type { IcpConfig } from '../../infra/config/config';
import { loadTrustProxy, type TrustProxy } from '../../infra/config/trust-proxy';
import { processLogger } from '../../infra/logging/logger';
import { PinoNestLogger } from '../../infra/logging/nest-logger';

/** Nest's own messages (boot, routes, errors) through the process's logger: JSON lines when configured. */
function nestLogger(): PinoNestLogger {
  return new PinoNestLogger(processLogger().child({ component: 'nest' }));
}

/**
 * The HTTP API (and, in `icp start`, the worker in the same process), listening on config.http;
 * `trustProxy` defaults to ICP_TRUST_PROXY.
 */
export async function startHttpApp(
  config: IcpConfig,
  roles: Omit<AppRoles, 'api'>,
  http: { trustProxy?: TrustProxy } = { trustProxy: loadTrustProxy() },
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { api: true, ...roles }),
    {
      logger: nestLogger(),
      // configureHttp installs the JSON parser with the body-size limit.
      bodyParser: false,
    },
  );
  configureHttp(app, {
    // A batch of up to 10,000 items (package and signature: ~0.8-3 MB) would not fit the default 256 KiB.
    // An inventory of up to 100,000 lines.
    bodyLimitsByPath: { '/v1/verify/batch': '4mb', '/v1/compliance/inventories': '32mb' },
    ndjsonPaths: ['/v1/compliance/inventories'],
    requestMetrics: app.get(HttpMetricsMiddleware),
    trustProxy: http.trustProxy,
    requestLog: processLogger().child({ component: 'http' }),
  });
  await app.listen(config.http.port, config.http.host);
  return app;
}

/** A worker without HTTP (`icp worker`), for scaling workers out separately. */
export async function startWorkerOnly(config: IcpConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, { api: false, worker: true }),
    { logger: nestLogger() },
  );
  await app.init();
  return app;
}
