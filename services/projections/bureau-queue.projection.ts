import { assertNever } from '../../events/assert-never';
import type { ServiceType } from '../../events/form/registration-form';
import type { ProvinceCode } from '../../events/provinces';
import {
  type FilingEventInStream,
  type ProjectableEvent,
  ProjectionError,
  readFilingEvent,
} from './projectable-event';

/**
 * One row per filing; `queuedAt` is set while the filing waits for its province's bureau
 * (between BureauReviewStarted and the bureau's decision or a withdrawal). No personal data.
 */
export interface BureauQueueRow {
  filingId: string;
  platformId: string;
  province: ProvinceCode;
  serviceType: ServiceType;
  appName: string;
  submittedAt: string;
  /** occurredAt of the last event applied. */
  updatedAt: string;
  /** metadata.seq of the last event applied. */
  revision: number;
  /** When the bureau review started; absent when the filing is not waiting for the bureau. */
  queuedAt?: string;
  /** The bureau review's due time (20 working days), while queued. */
  dueBy?: string;
  overdue: boolean;
}

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
    case 'BureauReviewApproved':
    case 'BureauReviewRejected':
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
    case 'SmsVerified':
    case 'SmsVerificationExpired':
    case 'FilingReturnedToPlatform':
    case 'FilingResubmitted':
    case 'RegistrationNumberIssued':
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
