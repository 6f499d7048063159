import { setTimeout as sleep } from 'node:timers/promises';
import { EventLogUnavailableError } from '../../../events/ports/event-log.port';
import { isLockContention, toEventLogError } from './sqlite-errors';

/**
 * Runs `operation`, retrying while another connection holds the lock, until `timeoutMs` has passed.
 * SQLite's own busy_timeout blocks the whole Node thread while it waits, so it is kept short and the
 * longer wait happens here, between attempts, without stalling the event loop.
 */
export async function withLockRetry<T>(
  operation: () => T,
  options: { timeoutMs: number; description: string },
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (!isLockContention(error)) throw toEventLogError(error, options.description);
      const waited = Date.now() - started;
      if (waited >= options.timeoutMs) {
        throw new EventLogUnavailableError(
          `event log ${options.description} is locked by another connection; gave up after ${waited} ms, retry later`,
          { cause: error },
        );
      }
      await sleep(Math.min(5 * 2 ** attempt, 100, options.timeoutMs - waited));
    }
  }
}
