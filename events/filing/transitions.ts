import type { FilingEventType } from './filing-events';
import type { FilingStage, FilingStatus } from './filing-state';

/**
 * Which events may follow each status: the workflow, `evolve` and the auditors all use this table.
 * It says what a log may hold, not what may be decided now: `FilingWithdrawn` after the platform's
 * approval (platform_approved to bureau_review) is only in logs written before withdrawal ended with
 * that approval; `decide` refuses it today (docs/filing-process.md, "Withdrawal").
 */
export const LEGAL_TRANSITIONS: Readonly<Record<FilingStatus, readonly FilingEventType[]>> = {
  not_submitted: ['FilingSubmitted'],
  submitted: ['PlatformReviewStarted', 'FilingWithdrawn'],
  platform_review: [
    'PlatformReviewOverdue',
    'PlatformReviewApproved',
    'FilingReturnedForCorrection',
    'PlatformReviewRejected',
    'FilingWithdrawn',
  ],
  returned_for_correction: ['FilingCorrected', 'FilingWithdrawn'],
  platform_approved: ['SmsVerificationSent', 'FilingWithdrawn'],
  sms_verification: [
    'SmsVerificationFailed',
    'SmsVerificationResent',
    'SmsVerified',
    'SmsVerificationExpired',
    'FilingReturnedToPlatform',
    'FilingWithdrawn',
  ],
  returned_to_platform: ['FilingResubmitted', 'FilingCorrected', 'FilingWithdrawn'],
  sms_verified: ['BureauReviewStarted', 'FilingWithdrawn'],
  bureau_review: [
    'BureauReviewOverdue',
    'BureauReviewApproved',
    'BureauReviewRejected',
    'BureauReviewReturned',
    'FilingWithdrawn',
  ],
  bureau_approved: ['RegistrationNumberIssued', 'RegistrationNumberRefused', 'FilingAppliedToRegistry'],
  registered: ['RegistrationPublished'],
  published: ['ApplicantNotified'],
  completed: [],
  rejected: [],
  withdrawn: [],
};

export function isLegalTransition(status: FilingStatus, type: FilingEventType): boolean {
  return LEGAL_TRANSITIONS[status].includes(type);
}

export function stageOf(status: FilingStatus): FilingStage {
  switch (status) {
    case 'not_submitted':
      return 'submission';
    case 'submitted':
    case 'platform_review':
    case 'returned_for_correction':
    case 'returned_to_platform':
      return 'platform_review';
    case 'platform_approved':
    case 'sms_verification':
      return 'sms_verification';
    case 'sms_verified':
    case 'bureau_review':
      return 'bureau_review';
    case 'bureau_approved':
    case 'registered':
    case 'published':
      return 'issuance';
    case 'completed':
    case 'rejected':
    case 'withdrawn':
      return 'closed';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}
