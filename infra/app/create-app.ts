import 'reflect-metadata';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type AppRoles } from '../../services/app.module';
import type { IcpConfig } from '../config/config';

/** The HTTP API (and, in `icp start`, the worker in the same process), listening on config.http. */
export async function startHttpApp(
  config: IcpConfig,
  roles: Omit<AppRoles, 'api'>,
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, { api: true, ...roles }), {
    logger: ['error', 'warn'],
  });
  await app.listen(config.http.port, config.http.host);
  return app;
}

/** A worker without HTTP (`icp worker`), for scaling workers out separately. */
export async function startWorkerOnly(config: IcpConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, { api: false, worker: true }),
    {
      logger: ['error', 'warn'],
    },
  );
  await app.init();
  return app;
}
