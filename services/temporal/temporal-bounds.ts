import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@temporalio/client';

/**
 * Until when the current call's failed attempts to reach Temporal may be retried; the connection's
 * retry interceptor asks `currentRetryDeadline` (the composition root wires it in).
 */
const retryUntil = new AsyncLocalStorage<number>();

export function currentRetryDeadline(): number | undefined {
  return retryUntil.getStore();
}

/** A call bounded by `withinTemporalBounds` did not settle in time. */
export class TemporalDeadlineExceeded extends Error {
  override readonly name = 'TemporalDeadlineExceeded';
  constructor(timeoutMs: number) {
    super(`Temporal did not answer within ${timeoutMs} ms`);
  }
}

export interface TemporalCallBounds {
  /**
   * How long failed attempts to reach the frontend are retried (connection refused, UNAVAILABLE):
   * an unreachable Temporal is reported after this long.
   */
  readonly reachMs: number;
  /** The gRPC deadline of every call: how long a reachable Temporal may take to answer. */
  readonly answerMs: number;
}

/**
 * Runs `fn` with its Temporal RPCs bounded twice: attempts to reach the frontend are retried for
 * `reachMs` only, and every call carries a gRPC deadline `answerMs` from now — so an unreachable
 * Temporal is known within seconds, while a reachable one busy replaying a history for a query is
 * given the time it needs. A timer at `answerMs` has the last word, whatever the connection's
 * interceptors (with the SDK's default one a retry overshoots the deadline by up to 5 s): it rejects
 * with TemporalDeadlineExceeded.
 */
export async function withinTemporalBounds<T>(
  client: Pick<Client, 'withDeadline'>,
  bounds: TemporalCallBounds,
  fn: () => Promise<T>,
): Promise<T> {
  const now = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalDeadlineExceeded(bounds.answerMs)), bounds.answerMs);
  });
  try {
    return await Promise.race([
      retryUntil.run(now + bounds.reachMs, () => client.withDeadline(now + bounds.answerMs, fn)),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
