import type { EventLog, RecordedEvent, Subscription } from '../../events/ports/event-log.port';
import { PROJECTION_NAMES, type ProjectionStore } from '../../events/ports/read-models.port';

export interface ProjectorOptions {
  eventLog: EventLog;
  store: ProjectionStore;
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
  /**
   * Stops at once and writes nothing more, not even what it had buffered (its lease was lost: another
   * projector may be writing now). A write already running finishes; resolves when it has.
   */
  abort(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 500;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Runs store writes one at a time, in the order asked; after a failure, none. */
function serialWrites(failed: () => boolean): (work: () => Promise<void>) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return (work) => {
    const run = last.then(() => (failed() ? undefined : work()));
    last = run.catch(() => undefined);
    return run;
  };
}

/** Callers of caughtUp() waiting until what the log held when they called has been applied. */
class CaughtUpWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly eventLog: EventLog) {}

  add(waiter: Waiter): void {
    this.waiters.push(waiter);
  }

  /** Nothing relevant lies past `position` in the log now, so every waiter's target has been applied. */
  async check(position: number): Promise<void> {
    if (this.waiters.length === 0) return;
    const pending = this.waiters;
    const beyond = await this.eventLog.readAll({
      fromPosition: position,
      maxCount: 1,
    });
    // Still behind: the next onCaughtUp checks again.
    if (beyond.length === 0) {
      this.waiters = this.waiters.filter((waiter) => !pending.includes(waiter));
      for (const waiter of pending) waiter.resolve();
    }
  }

  rejectAll(error: Error): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const waiter of pending) waiter.reject(error);
  }
}

/**
 * Feeds the log's filing and registry events (all it holds) into the read models: subscribes from the lowest projection
 * checkpoint, buffers up to `batchSize` events and applies each buffer to every projection in one
 * transaction per projection (each skips what its checkpoint already covers).
 */
export function startProjector(options: ProjectorOptions): RunningProjector {
  const { eventLog, store } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let buffer: RecordedEvent[] = [];
  let failure: Error | undefined;
  let stopped = false;
  let aborted = false;
  const waiters = new CaughtUpWaiters(eventLog);
  let subscription: Subscription | undefined;
  const halted = (): boolean => failure !== undefined || aborted;
  const serially = serialWrites(halted);

  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    // Checked before each projection's transaction: an abort stops between two of them.
    for (const name of PROJECTION_NAMES) if (!halted()) await store.live(name).applyBatch(events);
  };

  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    waiters.rejectAll(error);
    subscription?.stop().catch(() => undefined);
    options.onError?.(error);
  };

  const caughtUpAt = async (position: number): Promise<void> => {
    await serially(async () => {
      await flush();
      // Past this position only other streams' events were scanned: skip them after a restart.
      for (const name of PROJECTION_NAMES) if (!halted()) await store.live(name).advanceCheckpoint(position);
    });
    await waiters.check(position);
  };

  const subscribeFrom = (fromPosition: number): Subscription =>
    eventLog.subscribeToAll({
      fromPosition,
      maxCount: batchSize,
      onEvent: (event) => {
        buffer.push(event);
        return buffer.length >= batchSize ? serially(flush) : undefined;
      },
      onCaughtUp: (position) => {
        caughtUpAt(position).catch((error: unknown) => fail(asError(error)));
      },
      onError: fail,
    });

  const started = store.lowestCheckpoint().then((fromPosition) => {
    if (!stopped) subscription = subscribeFrom(fromPosition);
  });
  started.catch((error: unknown) => fail(asError(error)));

  return {
    caughtUp() {
      if (failure) return Promise.reject(failure);
      if (stopped) return Promise.reject(new Error('projector is stopped'));
      return new Promise<void>((resolve, reject) => {
        waiters.add({ resolve, reject });
        // Already idle at the head: check now rather than wait for an append.
        started
          .then(() => store.lowestCheckpoint())
          .then((position) => waiters.check(position))
          .catch((error: unknown) => reject(asError(error)));
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await started.catch(() => undefined);
      await subscription?.stop();
      subscription = undefined;
      await serially(flush);
      waiters.rejectAll(new Error('projector stopped'));
    },
    async abort() {
      aborted = true;
      stopped = true;
      buffer = [];
      waiters.rejectAll(new Error('projector aborted: its lease was lost'));
      await started.catch(() => undefined);
      await subscription?.stop().catch(() => undefined);
      subscription = undefined;
      // Queued behind any write in flight, and skipped itself: resolves once that write is done.
      await serially(async () => undefined).catch(() => undefined);
    },
  };
}
