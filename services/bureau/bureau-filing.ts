import { type ActorRole, isActorRole } from '../../events/filing/actor';
import { evolve } from '../../events/filing/evolve';
import { type FieldReason, type FilingEvent, FILING_EVENT_TYPES } from '../../events/filing/filing-events';
import type { FilingKind, FilingTarget } from '../../events/filing/filing-kind';
import {
  type FilingState,
  type FilingStatus,
  initialFilingState,
  type SubmittedFilingState,
} from '../../events/filing/filing-state';
import { diffForms, type FormDifference, valueAtPath } from '../../events/filing/registration-diff';
import { upcastFilingEvent } from '../../events/filing/upcast';
import type { RegistrationForm } from '../../events/form/registration-form';
import type { ProvinceCode } from '../../events/provinces';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { type MaskedForm, type MaskedValue, maskRegistrationForm } from './masked-form';

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

/**
 * A filing for its province's bureau: its state, the latest form with personal data masked, its
 * timeline; for a filing acting on a registration, that registration and, for a change or a new
 * access, the difference against the registered version field by field.
 */
export interface BureauFilingDetail {
  readonly filingId: string;
  readonly kind: FilingKind;
  /** The registration a change, cancellation or new access acts on (public numbers, no personal data). */
  readonly target?: FilingTarget;
  readonly province: ProvinceCode;
  readonly status: FilingStatus;
  /** The form as last submitted or corrected (FilingSubmitted, FilingCorrected), masked (`masked-form.ts`). */
  readonly form: MaskedForm;
  /**
   * A change or a new access: the fields in which `form` differs from the registered version (the
   * form of the filing `target.baseFilingId`, as that filing last had it), both sides masked as
   * `form` is. Absent for the other kinds, and when the registered version has no filing in the log
   * (a registration imported from before the platform kept them).
   */
  readonly changes?: readonly MaskedDifference[];
  readonly timeline: readonly BureauTimelineEntry[];
}

/** A field that differs from the registered version, its values masked (see `maskedDifferences`). */
export type MaskedDifference = Omit<FormDifference, 'before' | 'after'> & {
  /** The registered version's value, masked; absent when the field is absent there. */
  readonly before?: MaskedValue;
  /** The filing's value, masked; absent when the field is absent there. */
  readonly after?: MaskedValue;
};

/** The kinds whose form is the registered version with changes a reviewer must see. */
const DIFFERING_KINDS: ReadonlySet<FilingKind> = new Set<FilingKind>(['change', 'new_access']);

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
 * does). Events of a type this build does not know are listed on the timeline but not folded.
 * Undefined when the stream holds no submission.
 * @throws UnreadableHistoryError when an event cannot be upcast or does not follow from the ones before.
 */
function foldHistory(
  filingId: string,
  recorded: readonly RecordedEvent[],
): { state: SubmittedFilingState; timeline: BureauTimelineEntry[] } | undefined {
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
  return state.status === 'not_submitted' ? undefined : { state, timeline };
}

/**
 * The filing whose form is the registered version a change or a new access is to be compared with
 * (its FilingSubmitted's `target.baseFilingId`); undefined for the other kinds, or when there is none.
 */
export function registeredVersionFilingOf(recorded: readonly RecordedEvent[]): string | undefined {
  const submitted = recorded.find((event) => event.type === 'FilingSubmitted');
  if (!submitted) return undefined;
  let data;
  try {
    data = upcastFilingEvent(submitted).data as { kind?: FilingKind; target?: FilingTarget };
  } catch {
    return undefined; // the fold of the filing itself names what is wrong with it
  }
  return data.kind && DIFFERING_KINDS.has(data.kind) ? data.target?.baseFilingId : undefined;
}

/**
 * The form a filing's stream last holds (as submitted or corrected), the registered version when the
 * filing is the one that made it; undefined when the stream holds no submission.
 * @throws UnreadableHistoryError as `bureauFilingDetail`.
 */
export function formOfHistory(
  filingId: string,
  recorded: readonly RecordedEvent[],
): RegistrationForm | undefined {
  return foldHistory(filingId, recorded)?.state.form;
}

/**
 * The fields in which `proposed` differs from `registered`, with the values of both forms masked.
 * Which fields differ is decided on the forms themselves, so a changed ID number, phone or e-mail is
 * listed even when its masked values look alike (same last four characters, same length); only
 * masked values are returned, so no personal data leaves.
 */
export function maskedDifferences(
  registered: RegistrationForm,
  proposed: RegistrationForm,
): MaskedDifference[] {
  const before = maskRegistrationForm(registered);
  const after = maskRegistrationForm(proposed);
  return diffForms(registered, proposed).map(({ path, part }) => {
    const was = valueAtPath(before, path) as MaskedValue | undefined;
    const is = valueAtPath(after, path) as MaskedValue | undefined;
    return { path, ...(was !== undefined && { before: was }), ...(is !== undefined && { after: is }), part };
  });
}

/**
 * What its bureau sees of a filing, from its stream as stored (see `foldHistory`) and, for a change or
 * a new access, the registered version's form (`registeredVersionFilingOf`'s filing's, via
 * `formOfHistory`). Undefined when the stream holds no submission.
 * @throws UnreadableHistoryError when an event cannot be upcast or does not follow from the ones before.
 */
export function bureauFilingDetail(
  filingId: string,
  recorded: readonly RecordedEvent[],
  registeredForm?: RegistrationForm,
): BureauFilingDetail | undefined {
  const folded = foldHistory(filingId, recorded);
  if (!folded) return undefined;
  const { state, timeline } = folded;
  const compared = registeredForm !== undefined && DIFFERING_KINDS.has(state.kind);
  return {
    filingId,
    kind: state.kind,
    ...(state.target && { target: state.target }),
    province: state.province,
    status: state.status,
    form: maskRegistrationForm(state.form),
    ...(compared && { changes: maskedDifferences(registeredForm, state.form) }),
    timeline,
  };
}
