import { type ActorRole, isActorRole } from '../../events/filing/actor';
import { evolve } from '../../events/filing/evolve';
import { type FieldReason, type FilingEvent, FILING_EVENT_TYPES } from '../../events/filing/filing-events';
import { type FilingState, type FilingStatus, initialFilingState } from '../../events/filing/filing-state';
import { upcastFilingEvent } from '../../events/filing/upcast';
import type { ProvinceCode } from '../../events/provinces';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { type MaskedForm, maskRegistrationForm } from './masked-form';

/** One event of a filing as a bureau reviewer sees it: what happened, when and by which role; no data. */
export interface BureauTimelineEntry {
  /** The event's 0-based revision in the filing's stream. */
  readonly seq: number;
  readonly type: string;
  /** When it happened (metadata.occurredAt, workflow time), ISO 8601. */
  readonly occurredAt: string;
  /** The role of whoever recorded it; absent when the log does not say. */
  readonly actorRole?: ActorRole;
  /** A rejection's or return's explanation, as the reviewer wrote it for the filing's parties. */
  readonly reasons?: string;
  /** Its per-field reasons, when the reviewer gave any. */
  readonly fieldReasons?: readonly FieldReason[];
}

/** A filing for its province's bureau: its state, the latest form with personal data masked, its timeline. */
export interface BureauFilingDetail {
  readonly filingId: string;
  readonly province: ProvinceCode;
  readonly status: FilingStatus;
  /** The form as last submitted or corrected (FilingSubmitted, FilingCorrected), masked (`masked-form.ts`). */
  readonly form: MaskedForm;
  readonly timeline: readonly BureauTimelineEntry[];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(FILING_EVENT_TYPES);

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The province the filing was submitted to (its FilingSubmitted's), which decides the bureau that may
 * see it; undefined when the stream holds no readable FilingSubmitted.
 */
export function provinceOfHistory(recorded: readonly RecordedEvent[]): string | undefined {
  const submitted = recorded.find((event) => event.type === 'FilingSubmitted');
  const province = isRecord(submitted?.data) ? submitted.data.province : undefined;
  return typeof province === 'string' ? province : undefined;
}

function timelineEntry(event: RecordedEvent): BureauTimelineEntry {
  const metadata = isRecord(event.metadata) ? event.metadata : {};
  const occurredAt = typeof metadata.occurredAt === 'string' ? metadata.occurredAt : event.recordedAt;
  const role = isRecord(metadata.actor) ? metadata.actor.role : undefined;
  return {
    seq: event.revision,
    type: event.type,
    occurredAt,
    ...(isActorRole(role) ? { actorRole: role } : {}),
  };
}

/** What a rejection or return said, for the timeline: the explanation and the per-field reasons. */
function reviewReasonsOf(event: FilingEvent): Pick<BureauTimelineEntry, 'reasons' | 'fieldReasons'> {
  switch (event.type) {
    case 'FilingReturnedForCorrection':
    case 'PlatformReviewRejected':
    case 'BureauReviewRejected':
    case 'BureauReviewReturned': {
      const { reasons, fieldReasons } = event.data;
      return fieldReasons && fieldReasons.length > 0 ? { reasons, fieldReasons } : { reasons };
    }
    case 'RegistrationNumberRefused':
      return { reasons: event.data.reasons };
    default:
      return {};
  }
}

/** A history the domain cannot fold (damaged or tampered with): a server error, for an auditor to look at. */
export class UnreadableHistoryError extends Error {
  override readonly name = 'UnreadableHistoryError';
}

/**
 * Folds a filing's stream as stored (events upcast to the current shape, then `evolve`, as the workflow
 * does) into what its bureau sees. Events of a type this build does not know are listed on the
 * timeline but not folded. Undefined when the stream holds no submission.
 * @throws UnreadableHistoryError when an event cannot be upcast or does not follow from the ones before.
 */
export function bureauFilingDetail(
  filingId: string,
  recorded: readonly RecordedEvent[],
): BureauFilingDetail | undefined {
  let state: FilingState = initialFilingState;
  const timeline: BureauTimelineEntry[] = [];
  for (const event of recorded) {
    const entry = timelineEntry(event);
    if (!KNOWN_TYPES.has(event.type)) {
      timeline.push(entry);
      continue;
    }
    try {
      const domainEvent = upcastFilingEvent(event);
      timeline.push({ ...entry, ...reviewReasonsOf(domainEvent) });
      state = evolve(state, { ...domainEvent, metadata: { occurredAt: entry.occurredAt } });
    } catch (error) {
      throw new UnreadableHistoryError(
        `filing ${filingId}: seq ${entry.seq} (${event.type}) cannot be folded: ${(error as Error).message}`,
      );
    }
  }
  if (state.status === 'not_submitted') return undefined;
  return {
    filingId,
    province: state.province,
    status: state.status,
    form: maskRegistrationForm(state.form),
    timeline,
  };
}
