import { type LogLevel, makeTelemetryFilterString, Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { LogMetadata } from '@temporalio/common';
import { FILING_STREAM_PREFIX } from '../../events/filing/stream-ids';
import { processLogger } from '../../infra/logging/logger';
import { PinoTemporalLogger } from '../../infra/logging/temporal-logger';

let installed = false;

export interface RuntimeLoggingOptions {
  /**
   * Core's own warnings as JSON lines too (default). Forwarding holds the event loop open until the
   * process exits, so a host that must end by itself (Jest) turns it off.
   */
  readonly forwardCoreLogs?: boolean;
}

/** A filing's workflow is named after its stream: its correlation id is the filing id, as in the API's lines. */
export function correlationOf(meta: LogMetadata): { correlationId?: string } {
  const workflowId: unknown = meta.workflowId;
  if (typeof workflowId !== 'string') return {};
  const isFiling = workflowId.startsWith(FILING_STREAM_PREFIX);
  return { correlationId: isFiling ? workflowId.slice(FILING_STREAM_PREFIX.length) : workflowId };
}

/**
 * The runtime's logging: the SDK's, core's (forwarded), the workflows' `log` and the activities'
 * `Context.current().log` all through the process's logger. ICP_WORKER_LOG_LEVEL, when set, narrows
 * what the SDK says about itself (its default, WARN, keeps the bundle and state-change lines out).
 */
export function workerRuntimeLogging(
  { forwardCoreLogs = true }: RuntimeLoggingOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Pick<RuntimeOptions, 'logger' | 'telemetryOptions'> {
  const logger = processLogger().child({ component: 'temporal' });
  const debugging = logger.level === 'debug' || logger.level === 'trace';
  const sdkLevel: LogLevel = debugging ? 'TRACE' : env.ICP_WORKER_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN';
  return {
    logger: new PinoTemporalLogger(logger, { extra: correlationOf, sdkLevel }),
    ...(forwardCoreLogs
      ? {
          telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
        }
      : {}),
  };
}

export function installWorkerRuntimeLogging(options: RuntimeLoggingOptions = {}): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install(workerRuntimeLogging(options));
  } catch {
    // A runtime already exists in this process (e.g. a test environment installed one): keep it.
  }
}
