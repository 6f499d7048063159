import type { LogMetadata } from '@temporalio/common';
import { type LogLevel, makeTelemetryFilterString, Runtime, type TelemetryOptions } from '@temporalio/worker';
import { FILING_STREAM_PREFIX } from '../../events/filing/stream-ids';
import { processLogger } from '../../infra/logging/logger';
import { PinoTemporalLogger } from '../../infra/logging/temporal-logger';

let installed = false;

/** ICP_WORKER_LOG_LEVEL=INFO shows the SDK's own INFO lines; the default is WARN. */
export function workerLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return env.ICP_WORKER_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN';
}

/** A filing's workflow is named after its stream: its correlation id is the filing id, as in the API's lines. */
export function correlationOf(meta: LogMetadata): { correlationId?: string } {
  const workflowId: unknown = meta.workflowId;
  if (typeof workflowId !== 'string') return {};
  const isFiling = workflowId.startsWith(FILING_STREAM_PREFIX);
  return { correlationId: isFiling ? workflowId.slice(FILING_STREAM_PREFIX.length) : workflowId };
}

export interface RuntimeLoggingOptions {
  /**
   * Core's own warnings as JSON lines too (default). Forwarding holds the event loop open until the
   * process exits, so a host that must end by itself (Jest) turns it off.
   */
  readonly forwardCoreLogs?: boolean;
}

function telemetry(
  metrics: { prometheusBindAddress: string } | undefined,
  forwardCoreLogs: boolean,
): TelemetryOptions {
  return {
    ...(forwardCoreLogs && { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } }),
    ...(metrics && {
      metrics: {
        prometheus: {
          bindAddress: metrics.prometheusBindAddress,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
        },
      },
    }),
  };
}

/**
 * The runtime's logging through the process's logger (JSON lines when configured): the SDK's and
 * core's own lines at `sdkLevel` or above (its bundle and state-change lines are INFO), the
 * workflows' `log` and the activities' `Context.current().log` at the process's level, each with the
 * filing as correlationId. With `prometheusBindAddress`, the SDK core serves its metrics in Prometheus
 * text at `http://<address>/metrics`. The first call in a process decides: false when a runtime
 * already existed (e.g. a test environment installed one) and these options were not applied.
 */
export function installWorkerRuntimeLogging(
  sdkLevel: LogLevel = 'WARN',
  metrics?: { prometheusBindAddress: string },
  { forwardCoreLogs = true }: RuntimeLoggingOptions = {},
): boolean {
  if (installed) return false;
  installed = true;
  const logger = processLogger().child({ component: 'temporal' });
  const debugging = logger.level === 'debug' || logger.level === 'trace';
  try {
    Runtime.install({
      logger: new PinoTemporalLogger(logger, {
        extra: correlationOf,
        sdkLevel: debugging ? 'TRACE' : sdkLevel,
      }),
      telemetryOptions: telemetry(metrics, forwardCoreLogs),
    });
    return true;
  } catch {
    // A runtime already exists in this process: keep it.
    return false;
  }
}
