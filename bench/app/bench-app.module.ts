import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IcpConfig } from '../../infra/config/config';
import { AppModule } from '../../main/app.module';
import { configureHttp } from '../../services/http/configure-http';
import { HttpMetricsMiddleware } from '../../services/metrics/http-metrics.middleware';
import { TrivialController } from './trivial.controller';

/** The production application (API and worker in one process, as `icp start` runs them) plus the bench's trivial routes. */
@Module({})
export class BenchAppModule {
  static forRoot(config: IcpConfig): DynamicModule {
    return {
      module: BenchAppModule,
      imports: [AppModule.forRoot(config, { api: true, worker: true })],
      controllers: [TrivialController],
    };
  }
}

/** What `startHttpApp` does, with the bench's module instead of `AppModule`. */
export async function startBenchApp(config: IcpConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(BenchAppModule.forRoot(config), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  configureHttp(app, { requestMetrics: app.get(HttpMetricsMiddleware) });
  await app.listen(config.http.port, config.http.host);
  return app;
}
