import { AsyncLocalStorage } from 'node:async_hooks';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../../events/ports/event-log.port';

export interface CatchUpBatch {
  events: RecordedEvent[];
  /** The position up to which the log was examined (the head, when the batch was not full). */
  scannedTo: number;
}

export interface SubscriptionSource {
  /** Reads the next events after `position`, at most `limit`, that match the subscription's filter. */
  readAfter(position: number, limit: number): Promise<CatchUpBatch>;
  /**
   * Registers a wake-up for appends the backend hears of (SQLite: this process's; PostgreSQL: any
   * host's, by NOTIFY); returns the unregister function.
   */
  onAppend(listener: () => void): () => void;
  pollIntervalMs: number;
}

const DEFAULT_BATCH_SIZE = 500;
// Lets stop() tell a call from inside onEvent (which must not wait for itself) from any other call.
const deliveringFor = new AsyncLocalStorage<CatchUpSubscription>();

/**
 * Catch-up subscription over a log whose positions commit in order: reads stored events in batches,
 * then sleeps until an append wakes it or the poll interval passes (appends it was not told of).
 */
export class CatchUpSubscription implements Subscription {
  private stopped = false;
  private wakeRequested = false;
  private wake: (() => void) | undefined;
  /** Settles when delivery has ended: after stop(), or after an error was reported. */
  readonly finished: Promise<void>;
  private readonly unregister: () => void;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeOptions,
  ) {
    this.unregister = source.onAppend(() => this.requestWake());
    this.finished = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.requestWake();
    if (deliveringFor.getStore() === this) return;
    await this.finished;
  }

  private async run(): Promise<void> {
    const batchSize = this.options.maxCount || DEFAULT_BATCH_SIZE;
    let checkpoint = this.options.fromPosition ?? 0;
    let reportedCaughtUpAt: number | undefined;
    let inCallback = false;
    try {
      while (!this.stopped) {
        this.wakeRequested = false;
        const batch = await this.source.readAfter(checkpoint, batchSize);
        for (const event of batch.events) {
          if (this.stopped) return;
          inCallback = true;
          await deliveringFor.run(this, () => this.options.onEvent(event));
          inCallback = false;
          checkpoint = event.position;
        }
        if (this.stopped) return;
        if (batch.events.length === batchSize) continue;
        checkpoint = Math.max(checkpoint, batch.scannedTo);
        if (reportedCaughtUpAt !== checkpoint) {
          reportedCaughtUpAt = checkpoint;
          inCallback = true;
          this.options.onCaughtUp?.(checkpoint);
          inCallback = false;
        }
        await this.sleep();
      }
    } catch (error) {
      // After stop() (or close()) a read cut short is expected; a failing handler is always reported.
      if (inCallback || !this.stopped) this.report(error instanceof Error ? error : new Error(String(error)));
      this.stopped = true;
    } finally {
      this.unregister();
    }
  }

  private requestWake(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  private async sleep(): Promise<void> {
    if (this.wakeRequested || this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.source.pollIntervalMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private report(error: Error): void {
    try {
      if (this.options.onError) this.options.onError(error);
      else process.emitWarning(error);
    } catch (reportError) {
      process.emitWarning(reportError instanceof Error ? reportError : String(reportError));
    }
  }
}
