import { canonicalJson } from '../../events/canonical-json';
import { uuidv5 } from '../../events/ids';
import { type EventLog, WrongExpectedRevisionError } from '../../events/ports/event-log.port';
import type { UnplacedEvent } from '../../events/registry/registry-events';

/** Deterministic: a retried append of the same event at the same place is recognised by the log. */
export function registryEventId(streamId: string, revision: number): string {
  return uuidv5(`${streamId}:${revision}`);
}

/**
 * Appends `event` right after `lastRevision` (-1: as the stream's first event). Resolves true when
 * the event is there, false when another writer took that revision first.
 */
export async function appendAfter(
  eventLog: EventLog,
  streamId: string,
  lastRevision: number,
  event: UnplacedEvent,
): Promise<boolean> {
  const revision = lastRevision + 1;
  try {
    const result = await eventLog.appendToStream(
      streamId,
      [{ id: registryEventId(streamId, revision), ...event }],
      {
        expectedRevision: lastRevision === -1 ? 'no_stream' : lastRevision,
      },
    );
    return !result.alreadyAppended || (await isAt(eventLog, streamId, revision, event));
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return false;
    throw error;
  }
}

/**
 * The id names only the slot, so the log also reports "already appended" when a concurrent writer put
 * a different event there: only the same type and data make it ours (or an identical claim).
 */
async function isAt(
  eventLog: EventLog,
  streamId: string,
  revision: number,
  event: UnplacedEvent,
): Promise<boolean> {
  const [stored] = await eventLog.readStream(streamId, { fromRevision: revision, maxCount: 1 });
  return (
    stored !== undefined &&
    stored.type === event.type &&
    canonicalJson(stored.data) === canonicalJson(event.data)
  );
}
