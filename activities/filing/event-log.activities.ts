import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { EventLog, ExpectedRevision, Json } from '../../infra/event-log/event-log.port';

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
 * What a retry finds stored was sealed by an earlier execution of the workflow, and a replayed
 * workflow cannot be trusted to re-seal it byte for byte: Temporal does not compare activity inputs
 * on replay, and the workflow clock of a first execution is not always the one its replay sees (a
 * fresh worker taking over after a sticky task timed out). So the result names the stored hash and
 * time, which the activity result then records in history for every replay to continue from.
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
      const stored = await deps.eventLog.readStream(input.streamId, {
        fromRevision: revision - input.events.length + 1,
        maxCount: input.events.length,
      });
      const differs =
        stored.length !== input.events.length ||
        stored.some((event, index) => event.type !== input.events[index]?.type);
      if (differs) {
        // Same ids, other transitions: never continue a chain over events this append did not decide.
        throw new Error(
          `stream ${input.streamId}: revisions ${revision - input.events.length + 1}–${revision} hold ` +
            `${stored.map((event) => event.type).join(', ')}, not ${input.events.map((event) => event.type).join(', ')}`,
        );
      }
      const storedMetadata = (event: (typeof stored)[number]) =>
        event.metadata as unknown as StoredFilingEnvelope['metadata'];
      return {
        revision,
        alreadyAppended: true,
        lastHash: storedMetadata(stored[stored.length - 1] as (typeof stored)[number]).hash,
        occurredAt: storedMetadata(stored[0] as (typeof stored)[number]).occurredAt,
      };
    },
  };
}
