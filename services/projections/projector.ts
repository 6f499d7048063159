import type { EventLog, RecordedEvent, Subscription } from '../../events/ports/event-log.port';
import { FILING_STREAM_PREFIX } from '../../events/filing/stream-ids';
import { PROJECTION_NAMES, type ReadModelStore } from './read-model.store';

export interface ProjectorOptions {
  eventLog: EventLog;
  store: ReadModelStore;
  /** Events applied per transaction while catching up; default 500. */
  batchSize?: number;
  /** Called when the projector stops because of an error (it does not restart by itself). */
  onError?: (error: Error) => void;
}

export interface RunningProjector {
  /**
   * Resolves once everything stored in the log when called has been applied (rows and checkpoints
   * committed); rejects if the projector has failed or stops before that.
   */
  caughtUp(): Promise<void>;
  /** Stops the subscription and commits what it had delivered. */
  stop(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 500;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Feeds filing events from the log into the read models: subscribes from the lowest projection
 * checkpoint, buffers up to `batchSize` events and applies each buffer to every projection in one
 * transaction per projection (each skips what its checkpoint already covers).
 */
export function startProjector(options: ProjectorOptions): RunningProjector {
  const { eventLog, store } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let buffer: RecordedEvent[] = [];
  let failure: Error | undefined;
  let stopped = false;
  let waiters: Waiter[] = [];

  const flush = (): void => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    for (const name of PROJECTION_NAMES) store.applyBatch(name, events);
  };

  const settleWaiters = (outcome: { error?: Error }): void => {
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) {
      if (outcome.error) waiter.reject(outcome.error);
      else waiter.resolve();
    }
  };

  /** Nothing relevant lies past `position` in the log now, so every waiter's target has been applied. */
  const checkWaiters = async (position: number): Promise<void> => {
    if (waiters.length === 0) return;
    const pending = waiters;
    const beyond = await eventLog.readAll({
      fromPosition: position,
      streamPrefix: FILING_STREAM_PREFIX,
      maxCount: 1,
    });
    // Still behind: the next onCaughtUp checks again.
    if (beyond.length === 0) {
      waiters = waiters.filter((waiter) => !pending.includes(waiter));
      for (const waiter of pending) waiter.resolve();
    }
  };

  const fail = (error: Error): void => {
    failure ??= error;
    settleWaiters({ error: failure });
    options.onError?.(failure);
  };

  const appliedUpTo = (): number => Math.min(...PROJECTION_NAMES.map((name) => store.checkpoint(name)));
  const fromPosition = appliedUpTo();
  let subscription: Subscription | undefined;
  subscription = eventLog.subscribeToAll({
    fromPosition,
    streamPrefix: FILING_STREAM_PREFIX,
    maxCount: batchSize,
    onEvent: (event) => {
      buffer.push(event);
      if (buffer.length >= batchSize) flush();
    },
    onCaughtUp: (position) => {
      flush();
      // Past this position only other streams' events were scanned: skip them after a restart.
      for (const name of PROJECTION_NAMES) store.advanceCheckpoint(name, position);
      checkWaiters(position).catch((error: unknown) =>
        fail(error instanceof Error ? error : new Error(String(error))),
      );
    },
    onError: fail,
  });

  return {
    caughtUp() {
      if (failure) return Promise.reject(failure);
      if (stopped) return Promise.reject(new Error('projector is stopped'));
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject });
        // Already idle at the head: check now rather than wait for an append.
        checkWaiters(appliedUpTo()).catch((error: unknown) =>
          reject(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await subscription?.stop();
      subscription = undefined;
      if (!failure) flush();
      settleWaiters({ error: new Error('projector stopped') });
    },
  };
}
