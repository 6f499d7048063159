import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { EventLog, ExpectedRevision, Json } from '../../events/ports/event-log.port';

export interface AppendFilingEventsInput {
  streamId: string;
  expectedRevision: Exclude<ExpectedRevision, 'any'>;
  /** Sealed envelopes, appended as they are: the hash chain is over exactly this data and metadata. */
  events: StoredFilingEnvelope[];
}

export interface AppendFilingEventsResult {
  revision: number;
  alreadyAppended: boolean;
  /**
   * The last event's hash as the log holds it: the workflow continues the chain from here. Absent in
   * results recorded before it was added (and for an empty append).
   */
  lastHash?: string;
  /** The stored events' metadata.occurredAt (one per append), as the log holds it. */
  occurredAt?: string;
}

/**
 * Appends a filing's next events at an exact revision with deterministic ids. A retry after a lost
 * acknowledgement finds the same ids at that revision and succeeds without writing twice.
 *
 * The result names the hash and time of the events as the log holds them, and the workflow continues
 * its chain from there rather than from its own sealing: Temporal compares no activity input on replay,
 * and a replay does not always see the workflow time its first execution saw (a worker taking a run
 * over can run part of a task with the previous task's time), so a replay can re-seal an appended
 * event differently. Recorded in the history, the result keeps every replay on the stored chain.
 */
export function createEventLogActivities(deps: { eventLog: EventLog }) {
  return {
    async appendFilingEvents(input: AppendFilingEventsInput): Promise<AppendFilingEventsResult> {
      const result = await deps.eventLog.appendToStream(
        input.streamId,
        input.events.map((event) => ({
          id: event.id,
          type: event.type,
          data: event.data as unknown as Json,
          metadata: event.metadata as unknown as Json,
        })),
        { expectedRevision: input.expectedRevision },
      );
      const revision = result.nextExpectedRevision;
      const [first] = input.events;
      const last = input.events[input.events.length - 1];
      if (!first || !last) return { revision, alreadyAppended: result.alreadyAppended };
      if (!result.alreadyAppended) {
        return {
          revision,
          alreadyAppended: false,
          lastHash: last.metadata.hash,
          occurredAt: first.metadata.occurredAt,
        };
      }
      const from = revision - input.events.length + 1;
      const stored = (await deps.eventLog.readStream(input.streamId, {
        fromRevision: from,
        maxCount: input.events.length,
      })) as unknown as StoredFilingEnvelope[];
      const storedFirst = stored[0];
      const storedLast = stored[stored.length - 1];
      const sameTransitions =
        stored.length === input.events.length &&
        stored.every((event, index) => event.type === input.events[index]?.type);
      if (!storedFirst || !storedLast || !sameTransitions) {
        // Same ids, other transitions: never continue a chain over events this append did not decide.
        const held = stored.map((event) => event.type).join(', ');
        const sent = input.events.map((event) => event.type).join(', ');
        throw new Error(`stream ${input.streamId}: revisions ${from}–${revision} hold ${held}, not ${sent}`);
      }
      return {
        revision,
        alreadyAppended: true,
        lastHash: storedLast.metadata.hash,
        occurredAt: storedFirst.metadata.occurredAt,
      };
    },
  };
}
