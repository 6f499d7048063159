import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

let installed = false;

/** The SDK logs every bundle and state change at INFO; operators want warnings and errors. */
export function installWorkerRuntimeLogging(level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // A runtime already exists in this process (e.g. a test environment installed one): keep it.
  }
}
