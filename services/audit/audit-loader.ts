import { FILING_STREAM_PREFIX, filingIdOfStream, filingStreamId } from '../../events/filing/stream-ids';
import { chinaDateOfEpochMs, epochMsOfInstant } from '../../events/working-days/china-time';
import type { EventLog, Json, RecordedEvent } from '../../events/ports/event-log.port';

/** Events per `readAll` page while listing filings: big enough for few round trips, small enough to hold. */
export const LIST_BATCH_SIZE = 4_000;

/** A filing's stream as stored, seq 0 onwards; [] when the log has no such stream. */
export async function readFilingHistory(eventLog: EventLog, filingId: string): Promise<RecordedEvent[]> {
  return eventLog.readStream(filingStreamId(filingId));
}

export interface FilingToAudit {
  filingId: string;
  /** The province the filing was submitted to; absent when the stream holds no readable FilingSubmitted. */
  province?: string;
  /** When it was submitted (the FilingSubmitted's occurredAt); absent as for `province`. */
  submittedAt?: string;
}

export interface FilingSelection {
  /** Only filings submitted to this province (GB/T 2260 code). */
  province?: string;
  /** Only filings submitted on or after this China date (`YYYY-MM-DD`, UTC+8). */
  since?: string;
}

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The submission's China date, or undefined when its time is not a readable instant. */
function chinaDateOf(instant: string | undefined): string | undefined {
  if (instant === undefined) return undefined;
  try {
    return chinaDateOfEpochMs(epochMsOfInstant(instant));
  } catch {
    return undefined;
  }
}

function submissionOf(event: RecordedEvent, filingId: string): FilingToAudit {
  const province = isRecord(event.data) ? event.data.province : undefined;
  const submittedAt = isRecord(event.metadata) ? event.metadata.occurredAt : undefined;
  return {
    filingId,
    ...(typeof province === 'string' ? { province } : {}),
    ...(typeof submittedAt === 'string' ? { submittedAt } : {}),
  };
}

function selected(filing: FilingToAudit, selection: FilingSelection): boolean {
  if (selection.province !== undefined && filing.province !== selection.province) return false;
  if (selection.since !== undefined) {
    const date = chinaDateOf(filing.submittedAt);
    if (date === undefined || date < selection.since) return false;
  }
  return true;
}

/**
 * The filings to audit, from one pass over `$all` restricted to filing streams, in log order of their
 * FilingSubmitted. Without a selection every filing stream is listed, including one whose
 * FilingSubmitted is missing (a damaged history is exactly what an audit must see): it is listed at the
 * place of its first event, without province or submission time. A selection leaves such streams out.
 */
export async function listFilingsToAudit(
  eventLog: EventLog,
  selection: FilingSelection = {},
  options: { batchSize?: number } = {},
): Promise<FilingToAudit[]> {
  const batchSize = options.batchSize ?? LIST_BATCH_SIZE;
  // Insertion order is the order of first sighting: a FilingSubmitted normally opens its stream.
  const filings = new Map<string, FilingToAudit | undefined>();
  let fromPosition = 0;
  for (;;) {
    const batch = await eventLog.readAll({
      fromPosition,
      maxCount: batchSize,
      streamPrefix: FILING_STREAM_PREFIX,
    });
    for (const event of batch) {
      const filingId = filingIdOfStream(event.streamId);
      if (filingId === undefined) continue;
      if (event.type === 'FilingSubmitted' && filings.get(filingId) === undefined) {
        filings.delete(filingId);
        filings.set(filingId, submissionOf(event, filingId));
      } else if (!filings.has(filingId)) {
        filings.set(filingId, undefined);
      }
    }
    const last = batch[batch.length - 1];
    if (!last || batch.length < batchSize) break;
    fromPosition = last.position;
  }
  const unfiltered = selection.province === undefined && selection.since === undefined;
  const listed: FilingToAudit[] = [];
  for (const [filingId, filing] of filings) {
    if (filing === undefined) {
      if (unfiltered) listed.push({ filingId });
    } else if (selected(filing, selection)) {
      listed.push(filing);
    }
  }
  return listed;
}
