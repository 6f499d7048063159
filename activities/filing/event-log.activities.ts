import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { EventLog, ExpectedRevision, Json } from '../../infra/event-log/event-log.port';

export interface AppendFilingEventsInput {
  streamId: string;
  expectedRevision: Exclude<ExpectedRevision, 'any'>;
  /** Sealed envelopes, appended as they are: the hash chain is over exactly this data and metadata. */
  events: StoredFilingEnvelope[];
}

/**
 * Appends a filing's next events at an exact revision with deterministic ids. A retry after a lost
 * acknowledgement finds the same ids at that revision and succeeds without writing twice.
 */
export function createEventLogActivities(deps: { eventLog: EventLog }) {
  return {
    async appendFilingEvents(
      input: AppendFilingEventsInput,
    ): Promise<{ revision: number; alreadyAppended: boolean }> {
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
      return { revision: result.nextExpectedRevision, alreadyAppended: result.alreadyAppended };
    },
  };
}
