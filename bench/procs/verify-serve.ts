import 'reflect-metadata';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { AppModule } from '../../main/app.module';
import { configureHttp } from '../../services/http/configure-http';
import { HttpMetricsMiddleware } from '../../services/metrics/http-metrics.middleware';
import { TrivialController } from '../app/trivial.controller';
import { startProfile } from '../lib/profiling';

/**
 * The verification benchmark's server: the production API (no worker: verification and transparency
 * need no Temporal) plus the bench's trivial routes, with the body limits `icp api` sets, configured
 * from the environment. IPC like bench/procs/serve.ts: `ready` once listening, `profile-start` /
 * `profile-stop` (a CPU profile of the main thread, to `file`), `stop`.
 */
@Module({})
class VerifyBenchModule {
  static forRoot(config: IcpConfig): DynamicModule {
    return {
      module: VerifyBenchModule,
      imports: [AppModule.forRoot(config, { api: true, worker: false })],
      controllers: [TrivialController],
    };
  }
}

type Request = { type: 'profile-start' } | { type: 'profile-stop'; file: string } | { type: 'stop' };

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(VerifyBenchModule.forRoot(config), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  configureHttp(app, {
    bodyLimitsByPath: { '/v1/verify/batch': '4mb' },
    requestMetrics: app.get(HttpMetricsMiddleware),
  });
  await app.listen(config.http.port, config.http.host);
  let stopProfile: ((file: string) => Promise<void>) | undefined;
  process.on('message', (request: Request) => {
    if (request.type === 'profile-start') {
      void startProfile().then((stop) => {
        stopProfile = stop;
        process.send?.({ type: 'profile-start' });
      });
    } else if (request.type === 'profile-stop') {
      void (stopProfile?.(request.file) ?? Promise.resolve()).then(() =>
        process.send?.({ type: 'profile-stop' }),
      );
      stopProfile = undefined;
    } else {
      void app.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `verify bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
