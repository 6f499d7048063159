import {
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  streamNameFilter,
  type StreamingRead,
} from '@eventstore/db-client';
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
import { redactEventLogUrl } from '../event-log-url';
import {
  assertCount,
  assertEventsToAppend,
  assertExpectedRevision,
  assertReadAllOptions,
  assertStreamId,
} from '../event-validation';
import { appendWithRetryCheck, type StreamAccess } from './esdb-append';
import { invalidConnectionString, isTransient, toEventLogError, urlSecrets } from './esdb-errors';
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
 * The production event log: EventStoreDB / KurrentDB over gRPC. TLS, credentials and cluster discovery
 * come from the `esdb://` or `esdb+discover://` URL. Positions: see esdb-positions.ts.
 */
export class EsdbEventLog implements EventLog {
  readonly description: string;
  private readonly client: EventStoreDBClient;
  private readonly streams: StreamAccess;
  private readonly secrets: string[];
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly pingTimeoutMs: number;
  private readonly reconnectTimeoutMs: number;
  private closing: Promise<void> | undefined;

  constructor(url: string, options: EsdbEventLogOptions = {}) {
    this.description = redactEventLogUrl(url);
    this.secrets = urlSecrets(url);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 30_000;
    try {
      this.client = EventStoreDBClient.connectionString(url);
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
          read.cancel().catch(() => undefined);
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

  /**
   * Reads $all forwards and filters here: client 6.x has no server-side filter for reads (only for
   * subscriptions). Cheap from a recent position; from 0 it scans the whole log.
   */
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

  /** Reads $all backwards to the newest event that is not EventStoreDB's own. */
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

/** `$…` streams and types are EventStoreDB's own; reads skip them, so they are not appended either. */
function assertNotSystem(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.startsWith('$')) {
    throw new RangeError(
      `stream id ${JSON.stringify(streamId)}: names starting with $ are EventStoreDB's own`,
    );
  }
  events.forEach((event, index) => {
    if (event.type.startsWith('$')) {
      throw new RangeError(
        `stream ${streamId}, event #${index}: type ${JSON.stringify(event.type)} starts with $, reserved by EventStoreDB`,
      );
    }
  });
}

/** Consumes a $all read until `visit` says done or the read ends; a read left early is cancelled. */
async function untilDone(
  read: StreamingRead<AllStreamResolvedEvent>,
  visit: (resolved: AllStreamResolvedEvent) => boolean,
): Promise<void> {
  let complete = false;
  try {
    for await (const resolved of read) {
      if (visit(resolved)) return;
    }
    complete = true;
  } finally {
    // Nothing to cancel when the call never started (no server found).
    if (!complete) await read.cancel().catch(() => undefined);
  }
}
