import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

let installed = false;

/** ICP_WORKER_LOG_LEVEL=INFO shows the SDK's INFO lines; the default is WARN. */
export function workerLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return env.ICP_WORKER_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN';
}

/**
 * The SDK logs every bundle and state change at INFO; operators want warnings and errors. With
 * `prometheusBindAddress`, the SDK core serves its metrics (workers, polls, tasks, connection) in
 * Prometheus text at `http://<address>/metrics`. The first call in a process decides: false when a
 * runtime already existed (e.g. a test environment installed one) and these options were not applied.
 */
export function installWorkerRuntimeLogging(
  level: LogLevel = 'WARN',
  metrics?: { prometheusBindAddress: string },
): boolean {
  if (installed) return false;
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level),
      ...(metrics && {
        telemetryOptions: {
          metrics: {
            prometheus: {
              bindAddress: metrics.prometheusBindAddress,
              countersTotalSuffix: true,
              useSecondsForDurations: true,
            },
          },
        },
      }),
    });
    return true;
  } catch {
    // A runtime already exists in this process: keep it.
    return false;
  }
}
