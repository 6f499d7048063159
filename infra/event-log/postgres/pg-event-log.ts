import type { Pool } from 'pg';
import {
  type AppendResult,
  type EventLog,
  EventLogUnavailableError,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../../../events/ports/event-log.port';
import { redactDatabaseUrl } from '../../postgres/database-url';
import { noRelease, type PoolRelease } from '../../postgres/pg-pool';
import { migrate } from '../../postgres/schema';
import { type CatchUpBatch, CatchUpSubscription } from '../catch-up-subscription';
import {
  assertCount,
  assertEventsToAppend,
  assertExpectedRevision,
  assertReadAllOptions,
  assertStreamId,
} from '../event-validation';
import { PgAppendListener } from './pg-append-listener';
import { toAppendError, toEventLogError } from './pg-event-errors';
import {
  APPEND_SQL,
  type AppendResultRow,
  HEAD_SQL,
  type PgEventRow,
  READ_ALL_SQL,
  READ_STREAM_SQL,
  toRecordedEvent,
} from './pg-event-rows';
import { EVENT_LOG_MIGRATIONS } from './pg-event-schema';

export interface PgEventLogOptions extends PoolRelease {
  /** How often an idle subscription reads anyway, in case a notification was lost. */
  pollIntervalMs?: number;
}

/**
 * The event log on PostgreSQL, for several hosts without KurrentDB. Every append is one call of
 * `event_log_append` (one round trip, one transaction), which checks the expected revisions, recognises
 * a retried append, takes positions in commit order and NOTIFYs on commit; subscriptions LISTEN on a
 * connection of their own and poll as a fallback. The schema is created on first use, so opening is
 * synchronous like the other backends.
 */
export class PgEventLog implements EventLog {
  readonly description: string;
  private readonly release: () => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly appendListener: PgAppendListener;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private migrated: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  /** `url` is the pool's database (the listener connects to it too); `close()` calls `release`. */
  constructor(
    private readonly pool: Pool,
    url: string,
    options: PgEventLogOptions = {},
  ) {
    this.description = redactDatabaseUrl(url);
    this.release = options.release ?? noRelease;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.appendListener = new PgAppendListener(url, this.pollIntervalMs);
  }

  async ping(): Promise<void> {
    await this.query(HEAD_SQL, []);
  }

  /**
   * An empty `events` only checks expectedRevision and reports the stream's state
   * (nextExpectedRevision -1 and position 0 when the stream does not exist).
   */
  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([
      { streamId, events, expectedRevision: options.expectedRevision },
    ]);
    if (!result) throw new Error(`event log ${this.description}: an append returned no result`);
    return result;
  }

  /** All in one call of `event_log_append`: one transaction, one round trip. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const payload = appends.map(({ streamId, events, expectedRevision }) => {
      assertStoredAsText(streamId);
      assertExpectedRevision(expectedRevision);
      const ids = assertEventsToAppend(streamId, events);
      events.forEach((event, index) => assertNoNul(event.type, `stream ${streamId}, event #${index}: type`));
      return {
        streamId,
        expectedRevision: String(expectedRevision),
        events: events.map((event, index) => ({
          id: ids[index],
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        })),
      };
    });
    try {
      const rows = await this.query<AppendResultRow>(APPEND_SQL, [JSON.stringify(payload)]);
      return rows.map((row) => ({
        nextExpectedRevision: Number(row.next_expected_revision),
        position: Number(row.last_position),
        alreadyAppended: row.already_appended,
      }));
    } catch (error) {
      throw toAppendError(error, appends, this.description);
    }
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: number; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    assertStoredAsText(streamId);
    assertCount(options.fromRevision, 'fromRevision', 0);
    assertCount(options.maxCount, 'maxCount', 0);
    const rows = await this.query<PgEventRow>(READ_STREAM_SQL, [
      streamId,
      options.fromRevision ?? 0,
      options.maxCount ?? null,
    ]);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertPgReadAllOptions(options);
    const rows = await this.query<PgEventRow>(READ_ALL_SQL, [
      options.fromPosition ?? 0,
      Number.MAX_SAFE_INTEGER,
      options.streamPrefix ?? null,
      options.maxCount ?? null,
    ]);
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    const [row] = await this.query<{ position: string }>(HEAD_SQL, []);
    return Number(row?.position ?? 0);
  }

  /** `maxCount` is the size of each catch-up read; the subscription itself is unbounded. */
  subscribeToAll(options: SubscribeOptions): Subscription {
    assertPgReadAllOptions(options);
    if (this.closing) throw this.closedError();
    const subscription = new CatchUpSubscription(
      {
        readAfter: (position, limit) => this.readAfter(position, limit, options.streamPrefix),
        onAppend: (listener) => this.appendListener.onAppend(listener),
        pollIntervalMs: this.pollIntervalMs,
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
      await this.appendListener.close();
      await this.release();
    })();
    await this.closing;
  }

  /** Reads the head first: positions commit in order, so nothing at or below it can still appear. */
  private async readAfter(
    position: number,
    limit: number,
    prefix: string | undefined,
  ): Promise<CatchUpBatch> {
    const head = await this.headPosition();
    const rows = await this.query<PgEventRow>(READ_ALL_SQL, [position, head, prefix ?? null, limit]);
    const last = rows[rows.length - 1];
    const scannedTo = rows.length === limit && last ? Number(last.position) : head;
    return { events: rows.map(toRecordedEvent), scannedTo };
  }

  private async query<Row extends object>(sql: string, values: unknown[]): Promise<Row[]> {
    if (this.closing) throw this.closedError();
    try {
      await this.migrate();
      const result = await this.pool.query<Row>(sql, values);
      return result.rows;
    } catch (error) {
      throw toEventLogError(error, this.description);
    }
  }

  /** Once per instance; tried again on the next call if the server could not be reached. */
  private migrate(): Promise<void> {
    this.migrated ??= migrate(this.pool, 'event-log', EVENT_LOG_MIGRATIONS).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  private closedError(): EventLogUnavailableError {
    return new EventLogUnavailableError(`event log ${this.description} is closed`);
  }
}

/** PostgreSQL text cannot hold U+0000 (data and metadata can: JSON escapes it). */
function assertNoNul(text: string, where: string): void {
  if (text.includes('\u0000')) {
    throw new RangeError(`${where} contains U+0000, which the event log on PostgreSQL cannot store`);
  }
}

function assertStoredAsText(streamId: string): void {
  assertStreamId(streamId);
  assertNoNul(streamId, `stream id ${JSON.stringify(streamId)}`);
}

function assertPgReadAllOptions(options: ReadAllOptions): void {
  assertReadAllOptions(options);
  if (options.streamPrefix !== undefined) assertNoNul(options.streamPrefix, 'streamPrefix');
}
