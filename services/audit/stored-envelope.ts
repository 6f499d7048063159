import type { RecordedEvent } from '../../events/ports/event-log.port';
import { isActorRole } from '../../events/filing/actor';
import type { FilingEventMetadata, StoredFilingEnvelope } from '../../events/filing/filing-events';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with the envelope's metadata, or undefined when it has the shape writers give it. */
function metadataProblem(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return 'metadata is not an object';
  const { seq, occurredAt, actor, prevHash, hash, schemaVersion, filingId } = metadata;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return 'metadata.seq is not a count';
  if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt))) {
    return 'metadata.occurredAt is not an instant';
  }
  if (!isObject(actor) || typeof actor.id !== 'string' || !isActorRole(actor.role)) {
    return 'metadata.actor is not a recorded actor';
  }
  if (typeof prevHash !== 'string' || typeof hash !== 'string') return 'metadata lacks prevHash or hash';
  if (typeof schemaVersion !== 'number') return 'metadata.schemaVersion is not a number';
  if (typeof filingId !== 'string') return 'metadata.filingId is not text';
  return undefined;
}

/** The event as the filing's writer stored it, or the reason it cannot be read as one. */
export function storedEnvelopeOf(
  recorded: RecordedEvent,
): { envelope: StoredFilingEnvelope } | { problem: string } {
  const problem = metadataProblem(recorded.metadata);
  if (problem) return { problem };
  return {
    envelope: {
      id: recorded.id,
      type: recorded.type,
      data: recorded.data,
      metadata: recorded.metadata as unknown as FilingEventMetadata,
    },
  };
}
