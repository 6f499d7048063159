import type { AllStreamResolvedEvent, AllStreamSubscription, Position } from '@kurrent/kurrentdb-client';

/** What a catch-up subscription to $all yields, in the order the server sent it. */
export type FeedItem =
  | { kind: 'event'; resolved: AllStreamResolvedEvent }
  /** Everything up to `position` has been considered (filtered subscriptions only). */
  | { kind: 'checkpoint'; position: Position }
  /** Every event stored when the subscription started (or fell behind) has been sent: live from here. */
  | { kind: 'caughtUp' }
  /** The server is reading stored events again; a caughtUp follows. */
  | { kind: 'fellBehind' };

export interface SubscriptionFeed {
  /** The next item; undefined once the feed is closed or the server ended it. Rejects with its error. */
  next(): Promise<FeedItem | undefined>;
  /** Items have arrived that next() has not returned yet. */
  readonly pending: boolean;
  /** Stops the feed at once and cancels the server call (which may still be connecting) behind it. */
  close(): void;
}

type CheckpointReached = (subscription: AllStreamSubscription, position: Position) => void;

/**
 * Opens a subscription through `subscribe` and turns it into one ordered feed. The client (1.x,
 * dist/streams/utils/Subscription.js) emits `caughtUp` and `fellBehind` and calls `checkpointReached`
 * while it transforms the server's message, when the events of earlier messages are already in its
 * readable buffer but maybe not yet read; so each signal first moves the buffered events into the
 * queue and lands behind them. Events are otherwise read one at a time, keeping the buffer's backpressure.
 */
export function openSubscriptionFeed(
  subscribe: (checkpointReached: CheckpointReached) => AllStreamSubscription,
): SubscriptionFeed {
  return new ClientSubscriptionFeed(subscribe);
}

class ClientSubscriptionFeed implements SubscriptionFeed {
  private readonly queue: FeedItem[] = [];
  private readonly subscription: AllStreamSubscription;
  private failure: Error | undefined;
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(subscribe: (checkpointReached: CheckpointReached) => AllStreamSubscription) {
    this.subscription = subscribe((subscription, position) =>
      this.signal(subscription, { kind: 'checkpoint', position }),
    );
    this.subscription
      .on('readable', () => this.notify())
      .on('caughtUp', () => this.signal(this.subscription, { kind: 'caughtUp' }))
      .on('fellBehind', () => this.signal(this.subscription, { kind: 'fellBehind' }))
      .on('end', () => {
        this.ended = true;
        this.notify();
      })
      .on('error', (error: Error) => {
        this.failure ??= error;
        this.notify();
      });
  }

  get pending(): boolean {
    return this.queue.length > 0 || this.subscription.readableLength > 0;
  }

  async next(): Promise<FeedItem | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      if (this.queue.length === 0) {
        // read() may run the client's transform of the next message, which may queue a signal (and
        // the events before it) first: so what read() returns goes to the end of the queue.
        const resolved = this.subscription.read() as AllStreamResolvedEvent | null;
        if (resolved !== null) this.queue.push({ kind: 'event', resolved });
      }
      const item = this.queue.shift();
      if (item) return item;
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    // Rejects when the call never started (no server found): then there is nothing to cancel.
    this.subscription.unsubscribe().catch(() => undefined);
  }

  private signal(subscription: AllStreamSubscription, item: FeedItem): void {
    for (let resolved = subscription.read(); resolved !== null; resolved = subscription.read()) {
      this.queue.push({ kind: 'event', resolved: resolved as AllStreamResolvedEvent });
    }
    this.queue.push(item);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
