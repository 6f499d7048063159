import {
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import type { EventStatements } from './event-rows';
import { EventIdConflictError } from '../event-id-conflict-error';

export interface AppendRequest {
  streamId: string;
  /** Validated, with ids lower-cased (the form the log stores and compares). */
  events: readonly EventToAppend[];
  expectedRevision: ExpectedRevision;
}

/**
 * The body of the append transaction. Must run inside BEGIN IMMEDIATE so the stream's revision is read
 * under the write lock and cannot change before the insert.
 */
export function appendEvents(statements: EventStatements, request: AppendRequest): AppendResult {
  const { streamId, expectedRevision } = request;
  const ids = request.events.map((event) => event.id);
  const last = statements.lastOfStream.get(streamId);
  const actual = last?.revision;

  if (expectedRevision === 'any') {
    const retried = ids.length > 0 ? findRetriedAppend(statements, streamId, ids) : undefined;
    if (retried) return retried;
  } else {
    const expected = expectedRevision === 'no_stream' ? -1 : expectedRevision;
    if (expected !== (actual ?? -1)) {
      const retried = findAppendAt(statements, streamId, expected + 1, ids);
      if (retried) return retried;
      throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
  }

  if (ids.length === 0) {
    return { nextExpectedRevision: actual ?? -1, position: last?.position ?? 0, alreadyAppended: false };
  }
  const first = actual === undefined ? 0 : actual + 1;
  assertIdsUnused(statements, streamId, first, ids);
  const recordedAt = new Date().toISOString();
  let position = 0;
  request.events.forEach((event, index) => {
    const { lastInsertRowid } = statements.insert.run({
      stream_id: streamId,
      revision: first + index,
      id: event.id,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
      recorded_at: recordedAt,
    });
    position = Number(lastInsertRowid);
  });
  return { nextExpectedRevision: first + ids.length - 1, position, alreadyAppended: false };
}

/** The same ids already sit at `fromRevision`… in this order: an earlier attempt of this append. */
function findAppendAt(
  statements: EventStatements,
  streamId: string,
  fromRevision: number,
  ids: readonly string[],
): AppendResult | undefined {
  if (ids.length === 0) return undefined;
  const stored = statements.idsFrom.all(streamId, fromRevision, ids.length);
  const same = stored.length === ids.length && stored.every((row, index) => row.id === ids[index]);
  const lastStored = stored[stored.length - 1];
  if (!same || !lastStored) return undefined;
  return {
    nextExpectedRevision: fromRevision + ids.length - 1,
    position: lastStored.position,
    alreadyAppended: true,
  };
}

/** With `any` there is no revision to compare; the first id tells where an earlier attempt landed. */
function findRetriedAppend(
  statements: EventStatements,
  streamId: string,
  ids: readonly string[],
): AppendResult | undefined {
  const firstId = ids[0];
  const earlier = firstId === undefined ? undefined : statements.byId.get(firstId);
  if (!earlier || earlier.stream_id !== streamId) return undefined;
  return findAppendAt(statements, streamId, earlier.revision, ids);
}

function assertIdsUnused(
  statements: EventStatements,
  streamId: string,
  firstRevision: number,
  ids: readonly string[],
): void {
  ids.forEach((id, index) => {
    const existing = statements.byId.get(id);
    if (existing) {
      throw new EventIdConflictError(id, streamId, firstRevision + index, {
        streamId: existing.stream_id,
        revision: existing.revision,
      });
    }
  });
}
