import {
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  excludeSystemEvents,
  KurrentDBClient,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventLog,
  EventLogUnavailableError,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import {
  assertCount,
  assertEventsToAppend,
  assertExpectedRevision,
  assertReadAllOptions,
  assertStreamId,
} from '../event-validation';
import { appendWithRetryCheck, type StreamAccess } from './esdb-append';
import { clientConnectionString } from './esdb-connection-string';
import {
  invalidConnectionString,
  isTransient,
  redactedUrl,
  toEventLogError,
  urlSecrets,
} from './esdb-errors';
import { isSystemEvent, toRecordedEvent } from './esdb-events';
import { eventLogPosition, toReadPosition } from './esdb-positions';
import { clientStreamAccess } from './esdb-stream-access';
import { EsdbSubscription } from './esdb-subscription';
import { openSubscriptionFeed } from './esdb-subscription-feed';

export interface EsdbEventLogOptions {
  /** How long ping() waits for the server before it reports the log unavailable. */
  pingTimeoutMs?: number;
  /** How long a subscription keeps resubscribing after its connection broke before onError. */
  reconnectTimeoutMs?: number;
}

/**
 * The production event log: KurrentDB (formerly EventStoreDB) over gRPC through @kurrent/kurrentdb-client.
 * TLS, credentials and cluster discovery come from the URL: `kurrentdb://`, `kurrentdb+discover://`, or
 * the older `esdb://` and `esdb+discover://`. Positions: see esdb-positions.ts.
 */
export class EsdbEventLog implements EventLog {
  readonly description: string;
  private readonly client: KurrentDBClient;
  private readonly streams: StreamAccess;
  private readonly secrets: string[];
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly pingTimeoutMs: number;
  private readonly reconnectTimeoutMs: number;
  private closing: Promise<void> | undefined;

  constructor(url: string, options: EsdbEventLogOptions = {}) {
    this.description = redactedUrl(url);
    this.secrets = urlSecrets(url);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 30_000;
    try {
      this.client = KurrentDBClient.connectionString(clientConnectionString(url));
    } catch (error) {
      throw invalidConnectionString(error, url);
    }
    this.streams = clientStreamAccess(this.client);
  }

  /** Reads the newest record of $all: needs the server and the right to read $all. */
  async ping(): Promise<void> {
    await this.call(async () => {
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stopRead(read);
          reject(
            new EventLogUnavailableError(
              `event log ${this.description} did not answer within ${this.pingTimeoutMs} ms`,
            ),
          );
        }, this.pingTimeoutMs);
      });
      try {
        await Promise.race([untilDone(read, () => true), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    assertStreamId(streamId);
    assertExpectedRevision(options.expectedRevision);
    const ids = assertEventsToAppend(streamId, events);
    assertNotSystem(streamId, events);
    const normalized = events.map((event, index) => ({ ...event, id: ids[index] as string }));
    return this.call(() =>
      appendWithRetryCheck(this.streams, streamId, normalized, options.expectedRevision),
    );
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: number; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    assertCount(options.fromRevision, 'fromRevision', 0);
    assertCount(options.maxCount, 'maxCount', 0);
    if (options.maxCount === 0) return this.call(async () => []);
    return this.call(() =>
      this.streams.read(streamId, options.fromRevision ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER),
    );
  }

  /** Reads $all forwards and filters the events here. Cheap from a recent position; from 0 it scans the whole log. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertReadAllOptions(options);
    const after = options.fromPosition ?? 0;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const prefix = options.streamPrefix || undefined;
    return this.call(async () => {
      const events: RecordedEvent[] = [];
      if (limit === 0) return events;
      const read = this.client.readAll({ fromPosition: toReadPosition(after) });
      await untilDone(read, (resolved) => {
        const stored = resolved.event;
        if (!stored || isSystemEvent(stored) || (prefix && !stored.streamId.startsWith(prefix))) return false;
        const event = toRecordedEvent(resolved) as RecordedEvent;
        // The read starts at `after` itself, inclusive.
        if (event.position > after) events.push(event);
        return events.length >= limit;
      });
      return events;
    });
  }

  /** Reads $all backwards to the newest event that is not the server's own. */
  async headPosition(): Promise<number> {
    return this.call(async () => {
      let head = 0;
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
      await untilDone(read, (resolved) => {
        const stored = resolved.event;
        if (!stored || isSystemEvent(stored)) return false;
        head = eventLogPosition(stored.position);
        return true;
      });
      return head;
    });
  }

  /** A server-filtered catch-up subscription; `maxCount` has no use here (the server pages by itself). */
  subscribeToAll(options: SubscribeOptions): Subscription {
    assertReadAllOptions(options);
    this.assertOpen();
    const prefix = options.streamPrefix || undefined;
    const subscription = new EsdbSubscription(
      {
        open: (after) =>
          openSubscriptionFeed((checkpointReached) =>
            this.client.subscribeToAll({
              fromPosition: toReadPosition(after),
              filter: prefix
                ? streamNameFilter({ prefixes: [prefix], checkpointReached })
                : excludeSystemEvents({ checkpointReached }),
            }),
          ),
        accepts: (streamId) => !prefix || streamId.startsWith(prefix),
        isTransient,
        toError: (error) => this.toError(error),
        ended: () => new EventLogUnavailableError(`event log ${this.description} ended the subscription`),
        reconnect: { firstDelayMs: 100, maxDelayMs: 5_000, giveUpAfterMs: this.reconnectTimeoutMs },
      },
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.finished.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      this.subscriptions.clear();
      await this.client.dispose();
    })();
    await this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new EventLogUnavailableError(`event log ${this.description} is closed`);
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await operation();
    } catch (error) {
      throw this.toError(error);
    }
  }

  private toError(error: unknown): Error {
    if (error instanceof WrongExpectedRevisionError || error instanceof EventLogUnavailableError)
      return error;
    return toEventLogError(error, this.description, this.secrets);
  }
}

/** `$…` streams and types are the server's own; reads skip them, so they are not appended either. */
function assertNotSystem(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.startsWith('$')) {
    throw new RangeError(`stream id ${JSON.stringify(streamId)}: names starting with $ are KurrentDB's own`);
  }
  events.forEach((event, index) => {
    if (event.type.startsWith('$')) {
      throw new RangeError(
        `stream ${streamId}, event #${index}: type ${JSON.stringify(event.type)} starts with $, reserved by KurrentDB`,
      );
    }
  });
}

/** Consumes a $all read until `visit` says done or the read ends; leaving the loop early ends the read. */
async function untilDone(
  read: AsyncIterableIterator<AllStreamResolvedEvent>,
  visit: (resolved: AllStreamResolvedEvent) => boolean,
): Promise<void> {
  for await (const resolved of read) {
    if (visit(resolved)) return;
  }
}

/** Ends a read that may still be waiting for the server; it ends once the client gives up on it. */
function stopRead(read: AsyncIterableIterator<unknown>): void {
  read.return?.().catch(() => undefined);
}
