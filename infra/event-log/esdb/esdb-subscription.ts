import { AsyncLocalStorage } from 'node:async_hooks';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../../../events/ports/event-log.port';
import { isSystemEvent, toRecordedEvent } from './esdb-events';
import { checkpointLogPosition } from './esdb-positions';
import type { SubscriptionFeed } from './esdb-subscription-feed';

export interface SubscriptionSource {
  /** Subscribes to what lies after `logPosition` (exclusive). */
  open(logPosition: number): SubscriptionFeed;
  /** Whether a stream's events belong to the subscription (the server filters already; this double-checks). */
  accepts(streamId: string): boolean;
  /** A connection problem that resubscribing may cure. */
  isTransient(error: unknown): boolean;
  /** The error as the port's caller sees it (credentials removed). */
  toError(error: unknown): Error;
  /** The error for a subscription the server ended without saying why. */
  ended(): Error;
  reconnect: { firstDelayMs: number; maxDelayMs: number; giveUpAfterMs: number };
}

// Lets stop() tell a call from inside onEvent (which must not wait for itself) from any other call.
const deliveringFor = new AsyncLocalStorage<EsdbSubscription>();

/**
 * A catch-up subscription on KurrentDB: events in order, one handler call at a time, onCaughtUp
 * whenever the server has sent everything stored and nothing received is left to deliver. A dropped
 * connection resubscribes from the last position handled; onError once that keeps failing.
 */
export class EsdbSubscription implements Subscription {
  private stopped = false;
  private feed: SubscriptionFeed | undefined;
  private wakeFromSleep: (() => void) | undefined;
  /** Settles when delivery has ended: after stop(), or after an error was reported. */
  readonly finished: Promise<void>;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeOptions,
  ) {
    this.finished = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeFromSleep?.();
    this.feed?.close();
    if (deliveringFor.getStore() === this) return;
    await this.finished;
  }

  private async run(): Promise<void> {
    const { reconnect } = this.source;
    let checkpoint = this.options.fromPosition ?? 0;
    let reportedCaughtUpAt: number | undefined;
    let failingSince: number | undefined;
    let delay = reconnect.firstDelayMs;
    let inCallback = false;

    while (!this.stopped) {
      let feed: SubscriptionFeed | undefined;
      let live = false;
      try {
        feed = this.source.open(checkpoint);
        this.feed = feed;
        for (let item = await feed.next(); item && !this.stopped; item = await feed.next()) {
          failingSince = undefined;
          delay = reconnect.firstDelayMs;
          switch (item.kind) {
            case 'event': {
              const stored = item.resolved.event;
              if (!stored || isSystemEvent(stored) || !this.source.accepts(stored.streamId)) {
                // Considered and passed over: a resubscription may start after it.
                const passed = stored?.position && checkpointLogPosition(stored.position);
                if (passed !== undefined) checkpoint = Math.max(checkpoint, passed);
                break;
              }
              const event = toRecordedEvent(item.resolved) as RecordedEvent;
              if (event.position <= checkpoint) break;
              inCallback = true;
              await deliveringFor.run(this, () => this.options.onEvent(event));
              inCallback = false;
              checkpoint = event.position;
              break;
            }
            case 'checkpoint': {
              const position = checkpointLogPosition(item.position);
              if (position !== undefined) checkpoint = Math.max(checkpoint, position);
              break;
            }
            case 'caughtUp':
              live = true;
              break;
            case 'fellBehind':
              live = false;
              break;
          }
          if (this.stopped) return;
          if (live && !feed.pending && reportedCaughtUpAt !== checkpoint) {
            reportedCaughtUpAt = checkpoint;
            inCallback = true;
            this.options.onCaughtUp?.(checkpoint);
            inCallback = false;
          }
        }
        if (this.stopped) return;
        throw this.source.ended();
      } catch (error) {
        // A failing handler always stops delivery; after stop() a cut-short read is expected.
        if (inCallback) return this.fail(error instanceof Error ? error : new Error(String(error)));
        if (this.stopped) return;
        failingSince ??= Date.now();
        if (!this.source.isTransient(error) || Date.now() - failingSince >= reconnect.giveUpAfterMs) {
          return this.fail(this.source.toError(error));
        }
        await this.sleep(delay);
        delay = Math.min(delay * 2, reconnect.maxDelayMs);
      } finally {
        feed?.close();
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeFromSleep = undefined;
  }

  private fail(error: Error): void {
    this.stopped = true;
    try {
      if (this.options.onError) this.options.onError(error);
      else process.emitWarning(error);
    } catch (reportError) {
      process.emitWarning(reportError instanceof Error ? reportError : String(reportError));
    }
  }
}
