import {
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import { sameContent } from './esdb-events';
import { firstRevisionAfter } from './esdb-revisions';

/** What the append needs from KurrentDB; stream reads go to the leader, so they see every append. */
export interface StreamAccess {
  /** Up to `maxCount` events of the stream from `fromRevision`, in order; [] when it does not exist. */
  read(streamId: string, fromRevision: number, maxCount: number): Promise<RecordedEvent[]>;
  /** The stream's last `count` events, in order; [] when it does not exist. */
  readLast(streamId: string, count: number): Promise<RecordedEvent[]>;
  /** Appends with the server's check of the expected revision. */
  append(
    streamId: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<{ nextExpectedRevision: number } | { wrongExpectedRevision: number | undefined }>;
}

/*
 * KurrentDB (like EventStoreDB before it) is idempotent on event ids (IndexWriter.CheckCommit in the server): an append whose ids
 * already sit at exactly the expected revisions is answered with success, not with a wrong expected
 * version, and nothing is written. The answer looks like that of a fresh write, so the adapter looks
 * first: the events already at those revisions make it a retry without sending anything. After a
 * success it reads the events back: ids the server accepted with other content were another writer's
 * (registration-number slots use ids that name only the slot), so that append was not ours either.
 */

/** The port's appendToStream on KurrentDB; `events` are validated and their ids lower-case. */
export async function appendWithRetryCheck(
  access: StreamAccess,
  streamId: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  if (events.length === 0) return checkRevision(access, streamId, expectedRevision);
  const ids = events.map((event) => event.id);

  const earlier = await findEarlierAttempt(access, streamId, ids, expectedRevision);
  if (earlier) return earlier;

  const outcome = await access.append(streamId, events, expectedRevision);
  if ('wrongExpectedRevision' in outcome) {
    if (expectedRevision !== 'any') {
      // A concurrent attempt with the same ids may have landed between the look and the append.
      const stored = await access.read(streamId, firstRevisionAfter(expectedRevision), ids.length);
      if (sameIds(stored, ids)) return retried(stored);
    }
    throw new WrongExpectedRevisionError(streamId, expectedRevision, outcome.wrongExpectedRevision);
  }

  const first = outcome.nextExpectedRevision - ids.length + 1;
  const stored = await access.read(streamId, first, ids.length);
  const last = stored[stored.length - 1];
  if (!last || !sameIds(stored, ids)) {
    throw new Error(
      `stream ${streamId}: KurrentDB accepted the append but the events are not at revisions ${first}–${outcome.nextExpectedRevision}`,
    );
  }
  const ours = stored.every((event, index) => sameContent(event, events[index] as EventToAppend));
  return {
    nextExpectedRevision: outcome.nextExpectedRevision,
    position: last.position,
    alreadyAppended: !ours,
  };
}

/** With no events only the expected revision is checked, against the stream's last event. */
async function checkRevision(
  access: StreamAccess,
  streamId: string,
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  const [last] = await access.readLast(streamId, 1);
  const actual = last?.revision;
  const expected = expectedRevision === 'no_stream' ? undefined : expectedRevision;
  if (expected !== 'any' && expected !== actual) {
    throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
  }
  return { nextExpectedRevision: actual ?? -1, position: last?.position ?? 0, alreadyAppended: false };
}

/**
 * The same ids already where this append would put them: an earlier attempt whose acknowledgement was
 * lost. Other events there mean the expected revision is wrong, whatever the server would answer.
 */
async function findEarlierAttempt(
  access: StreamAccess,
  streamId: string,
  ids: readonly string[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult | undefined> {
  if (expectedRevision === 'any') {
    const tail = await access.readLast(streamId, ids.length);
    return sameIds(tail, ids) ? retried(tail) : undefined;
  }
  const stored = await access.read(streamId, firstRevisionAfter(expectedRevision), ids.length);
  if (stored.length === 0) return undefined;
  if (sameIds(stored, ids)) return retried(stored);
  const [last] = await access.readLast(streamId, 1);
  throw new WrongExpectedRevisionError(streamId, expectedRevision, last?.revision);
}

function sameIds(stored: readonly RecordedEvent[], ids: readonly string[]): boolean {
  return stored.length === ids.length && stored.every((event, index) => event.id === ids[index]);
}

function retried(stored: readonly RecordedEvent[]): AppendResult {
  const last = stored[stored.length - 1] as RecordedEvent;
  return { nextExpectedRevision: last.revision, position: last.position, alreadyAppended: true };
}
