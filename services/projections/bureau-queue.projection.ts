import { assertNever } from '../../events/assert-never';
import type { BureauQueueRow } from '../../events/ports/read-models.port';
import {
  type FilingEventInStream,
  type ProjectableEvent,
  ProjectionError,
  readFilingEvent,
} from './projectable-event';

type QueueChange = Partial<Pick<BureauQueueRow, 'appName' | 'queuedAt' | 'dueBy' | 'overdue'>> & {
  leaveQueue?: true;
};

function queueChangeOf(row: BureauQueueRow, read: FilingEventInStream): QueueChange {
  const { event } = read;
  switch (event.type) {
    case 'BureauReviewStarted':
      return { queuedAt: read.occurredAt, dueBy: event.data.dueAt, overdue: false };
    case 'BureauReviewOverdue':
      return row.queuedAt === undefined ? {} : { overdue: true };
    case 'FilingCorrected':
      return { appName: event.data.appName };
    // A return leaves the queue too, until the filing's next bureau review starts (BureauReviewStarted).
    case 'BureauReviewApproved':
    case 'BureauReviewRejected':
    case 'BureauReviewReturned':
    case 'FilingWithdrawn':
      return { leaveQueue: true };
    case 'FilingSubmitted':
    case 'PlatformReviewStarted':
    case 'PlatformReviewOverdue':
    case 'PlatformReviewApproved':
    case 'FilingReturnedForCorrection':
    case 'PlatformReviewRejected':
    case 'SmsVerificationSent':
    case 'SmsVerificationFailed':
    case 'SmsVerificationResent':
    case 'SmsVerified':
    case 'SmsVerificationExpired':
    case 'FilingReturnedToPlatform':
    case 'FilingResubmitted':
    case 'RegistrationNumberIssued':
    case 'RegistrationNumberRefused':
    case 'RegistrationPublished':
    case 'ApplicantNotified':
      return {};
    default:
      return assertNever(event, 'filing event');
  }
}

/**
 * The queue row after `recorded`, or `current` unchanged when it is not a known filing event. Pure.
 * Legality of the order is the filing summary's check; this projection only follows the bureau stage.
 */
export function projectBureauQueue(
  current: BureauQueueRow | undefined,
  recorded: ProjectableEvent,
): BureauQueueRow | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return current;
  const { filingId, event, seq, occurredAt } = read;
  if (event.type === 'FilingSubmitted') {
    if (current) throw new ProjectionError(`filing ${filingId}: FilingSubmitted twice (seq ${seq})`);
    const { platformId, province, serviceType, appName } = event.data;
    return {
      filingId,
      platformId,
      province,
      serviceType,
      appName,
      submittedAt: occurredAt,
      updatedAt: occurredAt,
      revision: seq,
      overdue: false,
    };
  }
  if (!current) throw new ProjectionError(`filing ${filingId}: ${event.type} before FilingSubmitted`);
  const { leaveQueue, ...change } = queueChangeOf(current, read);
  const next: BureauQueueRow = { ...current, ...change, updatedAt: occurredAt, revision: seq };
  if (leaveQueue) {
    delete next.queuedAt;
    delete next.dueBy;
    next.overdue = false;
  }
  return next;
}
