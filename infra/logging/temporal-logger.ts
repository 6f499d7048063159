import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

/** Temporal's task tokens are long and say nothing to a reader. */
const DROPPED: ReadonlySet<string> = new Set(['taskToken']);

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export interface TemporalLoggingOptions {
  /** Fields added to every line, given its Temporal attributes (e.g. a correlation id). */
  readonly extra?: (meta: LogMetadata) => Record<string, unknown>;
  /** The least level of what the SDK says about itself (components `worker` and `core`). */
  readonly sdkLevel?: LogLevel;
}

const ORDER: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const SDK_COMPONENTS: ReadonlySet<unknown> = new Set(['worker', 'core']);

/**
 * The Temporal SDK's logger on pino: SDK, core, workflow (`log` from `@temporalio/workflow`, through
 * the runtime's sinks) and activity (`Context.current().log`) messages as JSON lines.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(
    private readonly logger: Logger,
    private readonly options: TemporalLoggingOptions = {},
  ) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const { sdkLevel = 'TRACE', extra } = this.options;
    if (SDK_COMPONENTS.has(meta.sdkComponent) && ORDER.indexOf(level) < ORDER.indexOf(sdkLevel)) return;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta)) {
      if (!DROPPED.has(key)) fields[key] = value;
    }
    this.logger[LEVELS[level]]({ ...fields, ...extra?.(meta) }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
