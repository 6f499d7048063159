import { FILING_EVENT_TYPES } from '../../events/filing/filing-events';
import { filingIdOfStream } from '../../events/filing/stream-ids';
import type { RecordedEvent } from '../../events/ports/event-log.port';

const FILING_EVENT_TYPE_SET: ReadonlySet<string> = new Set<string>(FILING_EVENT_TYPES);

/**
 * The filing whose row a per-filing projection (summary, queue, SLA) would project `event` onto;
 * undefined for an event those projections ignore (another stream, a type this build does not know),
 * so its row is never read.
 */
export function followedFilingId(event: Pick<RecordedEvent, 'type' | 'streamId'>): string | undefined {
  return FILING_EVENT_TYPE_SET.has(event.type) ? filingIdOfStream(event.streamId) : undefined;
}
