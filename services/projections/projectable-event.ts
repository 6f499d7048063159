import type { RecordedEvent } from '../../events/ports/event-log.port';
import {
  FILING_EVENT_TYPES,
  type FilingEvent,
  type FilingEventType,
} from '../../events/filing/filing-events';
import { FilingSchemaError } from '../../events/filing/filing-errors';
import { filingIdOfStream } from '../../events/filing/stream-ids';
import { upcastFilingEvent } from '../../events/filing/upcast';

/** What a projection reads of a recorded event; the log position is the projector's business. */
export type ProjectableEvent = Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'streamId'>;

/** A filing event with the envelope facts the projections need. */
export interface FilingEventInStream {
  readonly filingId: string;
  readonly event: FilingEvent;
  /** metadata.seq: the event's 0-based revision in its filing stream. */
  readonly seq: number;
  /** metadata.occurredAt: workflow time of the transition. */
  readonly occurredAt: string;
}

/** A recorded event a projection cannot make sense of; the projector stops rather than guess. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
}

const KNOWN_TYPES: ReadonlySet<string> = new Set<FilingEventType>(FILING_EVENT_TYPES);

/**
 * The filing event in `recorded`, or undefined for a stream that is not a filing's or an event type
 * this build does not know (a newer writer's event is skipped, not fatal). Data is trusted as written
 * by the domain (`decide` + `evolve` checked it before the append), and upcast from the schemaVersion
 * it was written at to the current shape; a known type written at a newer version stops the projector.
 */
export function readFilingEvent(recorded: ProjectableEvent): FilingEventInStream | undefined {
  const filingId = filingIdOfStream(recorded.streamId);
  if (filingId === undefined || !KNOWN_TYPES.has(recorded.type)) return undefined;
  const metadata = recorded.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new ProjectionError(`${recorded.streamId} ${recorded.type}: metadata is not an object`);
  }
  const { seq, occurredAt } = metadata;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || typeof occurredAt !== 'string') {
    throw new ProjectionError(`${recorded.streamId} ${recorded.type}: metadata lacks seq or occurredAt`);
  }
  let event: FilingEvent;
  try {
    event = upcastFilingEvent(recorded);
  } catch (error) {
    if (!(error instanceof FilingSchemaError)) throw error;
    throw new ProjectionError(`${recorded.streamId} seq ${seq}: ${error.message}`);
  }
  return { filingId, event, seq, occurredAt };
}
