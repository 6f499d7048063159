/** A JSON value as stored in the log. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An event as the caller appends it: the id is deterministic (UUIDv5), so a retry is recognised. */
export interface EventToAppend {
  /** A UUID; read back lower-case. */
  id: string;
  type: string;
  data: Json;
  metadata: Json;
}

/** An event as the log recorded it. */
export interface RecordedEvent extends EventToAppend {
  streamId: string;
  /** 0-based position within its stream. */
  revision: number;
  /** 1-based position in the whole log ($all); strictly increasing in commit order. */
  position: number;
  /** When the log stored it (ISO 8601); informational, the domain uses metadata.occurredAt. */
  recordedAt: string;
}

/**
 * The revision the stream must be at before the append: the last event's revision, `no_stream`
 * for the first append, or `any` (only for streams where order does not matter; filings never use it).
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last event now in the stream (pass it as the next expectedRevision). */
  nextExpectedRevision: number;
  /** Position of the last appended event in $all. */
  position: number;
  /** true when every event was already there with the same ids at those revisions (a retried append). */
  alreadyAppended: boolean;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision; undefined when it does not exist. */
    readonly actual: number | undefined,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)} but the stream is at ${actual === undefined ? 'no_stream' : actual}`,
    );
  }
}

/** The log cannot be reached or is locked; the caller may retry later. */
export class EventLogUnavailableError extends Error {
  override readonly name = 'EventLogUnavailableError';
}

export interface ReadAllOptions {
  /** Return events with position > fromPosition (a checkpoint is the last position processed). Default 0. */
  fromPosition?: number;
  maxCount?: number;
  /** Only streams whose id starts with this prefix, e.g. `filing-`. */
  streamPrefix?: string;
}

/** For a subscription, maxCount bounds each catch-up read, not the number of events delivered. */
export interface SubscribeOptions extends ReadAllOptions {
  /** Called once per event in order; the next event waits for the returned promise. */
  onEvent(event: RecordedEvent): Promise<void> | void;
  /** Called each time the subscription has delivered everything stored so far. */
  onCaughtUp?(position: number): void;
  /** Called if the subscription stops because of an error (including one thrown by onEvent). */
  onError?(error: Error): void;
}

export interface Subscription {
  /** Stops delivery; resolves after any event being handled is done (at once when called from onEvent). */
  stop(): Promise<void>;
}

/** One stream's part of a multi-stream append (see `EventLog.appendToStreams`). */
export interface StreamAppend {
  streamId: string;
  events: readonly EventToAppend[];
  expectedRevision: ExpectedRevision;
}

/** The event log every transition is appended to. SQLite (embedded), PostgreSQL and KurrentDB/EventStoreDB implement it. */
export interface EventLog {
  /** A public description of the backend, free of credentials. */
  readonly description: string;
  /** Resolves when the log can be read and written; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /**
   * Appends atomically after checking expectedRevision. If the events are already there with the
   * same ids at exactly those revisions, succeeds with alreadyAppended (nothing written twice);
   * any other mismatch throws WrongExpectedRevisionError. With no events it only checks
   * expectedRevision (nextExpectedRevision -1 when the stream does not exist). Text that is not
   * well-formed Unicode (an unpaired surrogate, e.g. from a `\uD800` JSON escape) is rejected, never
   * stored altered.
   */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Optional: several appends in one transaction, in order (a stream may appear more than once), each
   * checked as `appendToStream` checks it; all land or none. A backend with one commit per transaction
   * (SQLite: one fsync) offers it for bulk loads; callers fall back to `appendToStream` one by one.
   */
  appendToStreams?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** The stream's events from `fromRevision` (default 0) in order; [] if the stream does not exist. */
  readStream(
    streamId: string,
    options?: { fromRevision?: number; maxCount?: number },
  ): Promise<RecordedEvent[]>;
  /** Events of every stream in commit order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the whole log ($all), 0 when empty; progress bars measure against it. */
  headPosition(): Promise<number>;
  /** Catch-up subscription: stored events after fromPosition, then live ones as they are appended. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}
