import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type LoggerService, Module, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttp, type HttpOptions } from '../../../services/http/configure-http';

export interface HttpTestApp {
  readonly app: NestExpressApplication;
  readonly url: (path: string) => string;
  readonly close: () => Promise<void>;
}

@Module({})
class HttpTestModule {}

/** A real Nest app on 127.0.0.1 with an ephemeral port, configured as the API is. */
export async function startHttpTestApp(
  metadata: ModuleMetadata,
  options: { http?: (app: NestExpressApplication) => HttpOptions; logger?: LoggerService | false } = {},
): Promise<HttpTestApp> {
  const app = await NestFactory.create<NestExpressApplication>(
    { module: HttpTestModule, ...metadata },
    { bodyParser: false, logger: options.logger ?? false },
  );
  configureHttp(app, options.http?.(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: (path) => `http://127.0.0.1:${port}${path}`, close: () => app.close() };
}

/** Keeps what the app logs, to assert on it. */
export class RecordingLogger implements LoggerService {
  readonly entries: { level: string; text: string }[] = [];
  log(...parts: unknown[]): void {
    this.record('log', parts);
  }
  error(...parts: unknown[]): void {
    this.record('error', parts);
  }
  warn(...parts: unknown[]): void {
    this.record('warn', parts);
  }
  private record(level: string, parts: unknown[]): void {
    this.entries.push({ level, text: parts.map(String).join('\n') });
  }
}
