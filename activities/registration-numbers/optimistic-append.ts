import { canonicalJson } from '../../events/canonical-json';
import { type EventLog, WrongExpectedRevisionError } from '../../events/ports/event-log.port';
import {
  type RegistrySealContext,
  type RegistryStreamHead,
  sealRegistryEvent,
} from '../../events/registry/registry-envelope';
import type { RegistryEvent } from '../../events/registry/registry-events';

/**
 * Appends `event`, sealed, right after `head` (revision -1: as the stream's first event). Resolves
 * true when the event is there, false when another writer took that revision first.
 */
export async function appendSealed(
  eventLog: EventLog,
  streamId: string,
  head: RegistryStreamHead,
  event: RegistryEvent,
  context: RegistrySealContext,
): Promise<boolean> {
  const { envelope } = sealRegistryEvent(streamId, head, event, context);
  try {
    const result = await eventLog.appendToStream(streamId, [envelope], {
      expectedRevision: head.revision === -1 ? 'no_stream' : head.revision,
    });
    return !result.alreadyAppended || (await isAt(eventLog, streamId, head.revision + 1, event));
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
  event: RegistryEvent,
): Promise<boolean> {
  const [stored] = await eventLog.readStream(streamId, { fromRevision: revision, maxCount: 1 });
  return (
    stored !== undefined &&
    stored.type === event.type &&
    canonicalJson(stored.data) === canonicalJson(event.data)
  );
}
