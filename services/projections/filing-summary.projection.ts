import { assertNever } from '../../events/assert-never';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingStatus } from '../../events/filing/filing-state';
import { isLegalTransition, stageOf } from '../../events/filing/transitions';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';

/** What an event changes in a summary row; also how other projections follow status, due time and overdue. */
export type SummaryChange = Partial<Omit<FilingSummaryRow, 'status' | 'stage'>> & { status?: FilingStatus };
type Change = SummaryChange;

/** Leaves a waiting status: nothing is due any more. */
function moveTo(status: FilingStatus): Change {
  return { status, dueBy: undefined, overdue: false };
}

/** Pure: the change `event` makes to a filing whose status is `status`. */
export function summaryChangeOf(
  status: FilingStatus,
  event: Exclude<FilingEvent, { type: 'FilingSubmitted' }>,
): Change {
  switch (event.type) {
    case 'PlatformReviewStarted':
      return { status: 'platform_review', dueBy: event.data.dueAt, overdue: false };
    case 'BureauReviewStarted':
      return { status: 'bureau_review', dueBy: event.data.dueAt, overdue: false };
    case 'PlatformReviewOverdue':
    case 'BureauReviewOverdue':
      return status === 'platform_review' || status === 'bureau_review' ? { overdue: true } : {};
    case 'SmsVerificationSent':
      return { status: 'sms_verification', dueBy: event.data.expiresAt, overdue: false };
    case 'SmsVerificationExpired':
      return status === 'sms_verification' ? { dueBy: event.data.expiresAt } : {};
    case 'SmsVerificationFailed':
      return {};
    case 'FilingCorrected':
      return { ...moveTo('submitted'), appName: event.data.appName };
    case 'FilingResubmitted':
      return moveTo('submitted');
    case 'PlatformReviewApproved':
      return moveTo('platform_approved');
    case 'FilingReturnedForCorrection':
      return moveTo('returned_for_correction');
    case 'PlatformReviewRejected':
    case 'BureauReviewRejected':
      return moveTo('rejected');
    case 'SmsVerified':
      return moveTo('sms_verified');
    case 'FilingReturnedToPlatform':
      return moveTo('returned_to_platform');
    case 'BureauReviewApproved':
      return moveTo('bureau_approved');
    case 'FilingWithdrawn':
      return moveTo('withdrawn');
    case 'RegistrationNumberIssued':
      return { ...moveTo('registered'), registrationNumber: event.data.serviceNumber };
    case 'RegistrationPublished':
      return status === 'registered' ? { status: 'published', operatorName: event.data.operatorName } : {};
    case 'ApplicantNotified':
      return status === 'published' ? { status: 'completed' } : {};
    default:
      return assertNever(event, 'filing event');
  }
}

function withoutUndefined(row: FilingSummaryRow): FilingSummaryRow {
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as unknown as FilingSummaryRow;
}

/**
 * The summary row after `recorded`, or `current` unchanged (undefined before submission) when the
 * event is not a known filing event. Pure. Throws ProjectionError for an event that cannot follow
 * the row's status: the log would be inconsistent, and a stopped projector is better than a wrong row.
 */
export function projectFilingSummary(
  current: FilingSummaryRow | undefined,
  recorded: ProjectableEvent,
): FilingSummaryRow | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return current;
  const { filingId, event, seq, occurredAt } = read;
  const status = current?.status ?? 'not_submitted';
  if (!isLegalTransition(status, event.type)) {
    throw new ProjectionError(
      `filing ${filingId}: ${event.type} (seq ${seq}) cannot follow status ${status}`,
    );
  }
  if (event.type === 'FilingSubmitted') {
    return withoutUndefined({
      filingId,
      platformId: event.data.platformId,
      province: event.data.province,
      serviceType: event.data.serviceType,
      appName: event.data.appName,
      status: 'submitted',
      stage: stageOf('submitted'),
      overdue: false,
      revision: seq,
      submittedAt: occurredAt,
      updatedAt: occurredAt,
    });
  }
  if (!current) throw new ProjectionError(`filing ${filingId}: ${event.type} before FilingSubmitted`);
  const change = summaryChangeOf(current.status, event);
  const nextStatus = change.status ?? current.status;
  return withoutUndefined({
    ...current,
    ...change,
    status: nextStatus,
    stage: stageOf(nextStatus),
    revision: seq,
    updatedAt: occurredAt,
  });
}
