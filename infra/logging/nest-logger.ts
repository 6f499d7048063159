import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's logger calls on pino: the context as `context`, an object message as fields. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const context = params.length > 1 ? params.at(-1) : undefined;
    const stack = typeof params[0] === 'string' && params.length > 1 ? params[0] : undefined;
    this.emit('error', message, {
      ...(typeof context === 'string' ? { context } : {}),
      ...(stack ? { stack } : {}),
    });
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const context = params.at(-1);
    this.emit(level, message, typeof context === 'string' ? { context } : {});
  }

  private emit(level: Level, message: unknown, fields: Record<string, unknown>): void {
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) {
      const { msg, message: text, ...rest } = message as Record<string, unknown>;
      this.logger[level]({ ...fields, ...rest }, String(msg ?? text ?? ''));
    } else this.logger[level](fields, String(message));
  }
}
