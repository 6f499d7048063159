import {
  BACKWARDS,
  END,
  FORWARDS,
  type KurrentDBClient,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { StreamAccess } from './esdb-append';
import { isStreamNotFound, wrongExpectedVersion } from './esdb-errors';
import { toEventData, toRecordedEvent } from './esdb-events';
import { fromCurrentRevision, toAppendRevision, toRevision } from './esdb-revisions';

/**
 * Stream reads and appends through the client. Every read here decides whether an append landed (a
 * retry after a lost acknowledgement, a refused expected revision, the read-back after success), so
 * each asks for the leader: a follower's copy may not hold the append yet.
 */
export function clientStreamAccess(client: KurrentDBClient): StreamAccess {
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
          streamState: toAppendRevision(expectedRevision),
        });
        if (result.success) return { nextExpectedRevision: toRevision(result.nextExpectedRevision) };
        // `throwOnAppendFailure=false` in the URL: the refusal comes as a result, whose revision
        // the client garbles on servers with batch append (a boolean as the revision); the stream tells.
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
async function collect(read: AsyncIterable<ResolvedEvent>): Promise<RecordedEvent[]> {
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
