import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { type AppendRequest, appendEvents } from './append-events';
import { notifyAppendCommitted, onAppendCommitted } from './append-notifier';
import { type EventStatements, NO_LIMIT, prepareStatements, toRecordedEvent } from './event-rows';
import {
  assertCount,
  assertEventsToAppend,
  assertExpectedRevision,
  assertReadAllOptions,
  assertStreamId,
} from '../event-validation';
import { withLockRetry } from './lock-retry';
import { configureConnection, migrateSchema } from './schema';
import { type CatchUpBatch, CatchUpSubscription } from '../catch-up-subscription';

export interface SqliteEventLogOptions {
  /** How long an operation waits for another connection's write lock before EventLogUnavailableError. */
  lockTimeoutMs?: number;
  /** How often an idle subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
}

// The longest SQLite may block the thread in one attempt; lock-retry.ts waits asynchronously beyond that.
const BUSY_TIMEOUT_MS = 50;

/** The embedded event log: one SQLite file in WAL mode under the data directory. */
export class SqliteEventLog implements EventLog {
  private readonly db: Database.Database;
  private readonly statements: EventStatements;
  private readonly appendTransaction: Database.Transaction<(request: AppendRequest) => AppendResult>;
  private readonly appendManyTransaction: Database.Transaction<
    (requests: readonly AppendRequest[]) => AppendResult[]
  >;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly lockTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private closing: Promise<void> | undefined;

  constructor(
    readonly file: string,
    options: SqliteEventLogOptions = {},
  ) {
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      configureConnection(this.db, Math.max(BUSY_TIMEOUT_MS, this.lockTimeoutMs));
      migrateSchema(this.db, file);
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.statements = prepareStatements(this.db);
      this.appendTransaction = this.db.transaction((request: AppendRequest) =>
        appendEvents(this.statements, request),
      );
      this.appendManyTransaction = this.db.transaction((requests: readonly AppendRequest[]) =>
        requests.map((request) => appendEvents(this.statements, request)),
      );
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  get description(): string {
    return `sqlite:${this.file}`;
  }

  async ping(): Promise<void> {
    await this.withConnection(() => this.statements.head.get());
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
    assertStreamId(streamId);
    assertExpectedRevision(options.expectedRevision);
    const ids = assertEventsToAppend(streamId, events);
    const request: AppendRequest = {
      streamId,
      events: events.map((event, index) => ({ ...event, id: ids[index] })),
      expectedRevision: options.expectedRevision,
    };
    const result = await this.withConnection(() => this.appendTransaction.immediate(request));
    if (!result.alreadyAppended && events.length > 0) notifyAppendCommitted(this.file);
    return result;
  }

  /** One transaction, one commit: a bulk load pays for one fsync per batch, not per stream. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const requests: AppendRequest[] = appends.map(({ streamId, events, expectedRevision }) => {
      assertStreamId(streamId);
      assertExpectedRevision(expectedRevision);
      const ids = assertEventsToAppend(streamId, events);
      return {
        streamId,
        expectedRevision,
        events: events.map((event, index) => ({ ...event, id: ids[index] })),
      };
    });
    const results = await this.withConnection(() => this.appendManyTransaction.immediate(requests));
    const appended = results.some(
      (result, index) => !result.alreadyAppended && (appends[index]?.events.length ?? 0) > 0,
    );
    if (appended) notifyAppendCommitted(this.file);
    return results;
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: number; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    assertCount(options.fromRevision, 'fromRevision', 0);
    assertCount(options.maxCount, 'maxCount', 0);
    const rows = await this.withConnection(() =>
      this.statements.readStream.all(streamId, options.fromRevision ?? 0, options.maxCount ?? NO_LIMIT),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertReadAllOptions(options);
    const rows = await this.withConnection(() =>
      this.statements.readAll.all({
        from: options.fromPosition ?? 0,
        upTo: Number.MAX_SAFE_INTEGER,
        prefix: options.streamPrefix ?? null,
        limit: options.maxCount ?? NO_LIMIT,
      }),
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    return this.withConnection(() => this.statements.head.get()?.position ?? 0);
  }

  /** `maxCount` is the size of each catch-up read; the subscription itself is unbounded. */
  subscribeToAll(options: SubscribeOptions): Subscription {
    assertReadAllOptions(options);
    if (this.closing) throw new EventLogUnavailableError(`event log ${this.description} is closed`);
    const subscription = new CatchUpSubscription(
      {
        readAfter: (position, limit) => this.readAfter(position, limit, options.streamPrefix),
        onAppend: (listener) => onAppendCommitted(this.file, listener),
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
      this.db.close();
    })();
    await this.closing;
  }

  /** Reads the head first: positions commit in order, so nothing at or below it can still appear. */
  private async readAfter(
    position: number,
    limit: number,
    prefix: string | undefined,
  ): Promise<CatchUpBatch> {
    return this.withConnection(() => {
      const head = this.statements.head.get()?.position ?? 0;
      const rows = this.statements.readAll.all({ from: position, upTo: head, prefix: prefix ?? null, limit });
      const scannedTo = rows.length === limit ? (rows[rows.length - 1]?.position ?? position) : head;
      return { events: rows.map(toRecordedEvent), scannedTo };
    });
  }

  private async withConnection<T>(operation: () => T): Promise<T> {
    const whileOpen = (): T => {
      if (!this.db.open) throw new EventLogUnavailableError(`event log ${this.description} is closed`);
      return operation();
    };
    if (this.closing) throw new EventLogUnavailableError(`event log ${this.description} is closed`);
    return withLockRetry(whileOpen, { timeoutMs: this.lockTimeoutMs, description: this.description });
  }
}
