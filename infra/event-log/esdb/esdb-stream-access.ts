import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { StreamAccess } from './esdb-append';
import { isStreamNotFound, wrongExpectedVersion } from './esdb-errors';
import { toEventData, toRecordedEvent } from './esdb-events';
import { fromCurrentRevision, toAppendRevision, toRevision } from './esdb-revisions';

/** Stream reads and appends through the client. Reads ask for the leader: they must see every append. */
export function clientStreamAccess(client: EventStoreDBClient): StreamAccess {
  const readLast = async (streamId: string, count: number): Promise<RecordedEvent[]> => {
    const newestFirst = await collect(
      client.readStream(streamId, {
        fromRevision: END,
        maxCount: count,
        direction: BACKWARDS,
        requiresLeader: true,
      }),
    );
    return newestFirst.reverse();
  };
  return {
    read: (streamId, fromRevision, maxCount) =>
      collect(
        client.readStream(streamId, {
          fromRevision: BigInt(fromRevision),
          maxCount,
          direction: FORWARDS,
          requiresLeader: true,
        }),
      ),
    readLast,
    append: async (streamId, events, expectedRevision) => {
      try {
        const result = await client.appendToStream(streamId, events.map(toEventData), {
          expectedRevision: toAppendRevision(expectedRevision),
        });
        if (result.success) return { nextExpectedRevision: toRevision(result.nextExpectedRevision) };
        // `throwOnAppendFailure=false` in the URL: the refusal comes as a result, whose revision
        // client 6.2.1 garbles on servers with batch append; the stream itself tells.
        const [last] = await readLast(streamId, 1);
        return { wrongExpectedRevision: last?.revision };
      } catch (error) {
        const refused = wrongExpectedVersion(error);
        if (refused) return { wrongExpectedRevision: fromCurrentRevision(refused.current) };
        throw error;
      }
    },
  };
}

/** A stream's events in read order; [] when the stream does not exist. */
async function collect(read: StreamingRead<ResolvedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) {
      const event = toRecordedEvent(resolved);
      if (event) events.push(event);
    }
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
  return events;
}
