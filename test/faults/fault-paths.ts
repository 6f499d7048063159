import type { FilingStatus } from '../../events/filing/filing-state';

/**
 * The ways a filing is driven through the real HTTP API during a fault run, each with the exact
 * event types its stream must hold at the end and the status it must end in. No deadline passes in
 * a run (reviews are due in working days, SMS codes in 24 hours), so no overdue or expiry event may
 * appear: one would mean a clock or timer went wrong.
 */

export type FaultStep =
  /** Platform initial review (waits for `platform_review`). */
  | { readonly kind: 'platform'; readonly decision: 'approve' | 'reject' | 'return' }
  /** The corrected form (waits for `returned_for_correction`). */
  | { readonly kind: 'correct' }
  /**
   * The 12381 code of SMS round `round`: `wrong` wrong answers first, then the right one unless
   * `giveUp`. With `resend`, each wrong answer is sent twice with its Idempotency-Key, as a client
   * whose response was lost does: it must count once.
   */
  | {
      readonly kind: 'sms';
      readonly round: number;
      readonly wrong: number;
      readonly giveUp?: boolean;
      readonly resend?: boolean;
    }
  /** Resubmission after the SMS step sent the filing back (waits for `returned_to_platform`). */
  | { readonly kind: 'resubmit' }
  | { readonly kind: 'bureau'; readonly decision: 'approve' | 'reject' }
  /** Withdrawal once the filing is in `from`. */
  | { readonly kind: 'withdraw'; readonly from: FilingStatus };

export interface FaultPath {
  readonly steps: readonly FaultStep[];
  readonly finalStatus: FilingStatus;
  readonly events: readonly string[];
}

const SUBMITTED = ['FilingSubmitted', 'PlatformReviewStarted'];
const SMS_PASSED = ['SmsVerificationSent', 'SmsVerified'];
const BUREAU_STARTED = ['BureauReviewStarted'];
const ISSUED = [
  ...BUREAU_STARTED,
  'BureauReviewApproved',
  'RegistrationNumberIssued',
  'RegistrationPublished',
  'ApplicantNotified',
];
const FIVE_FAILURES = Array.from({ length: 5 }, () => 'SmsVerificationFailed');

export const FAULT_PATHS = {
  completed: {
    steps: [
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 0 },
      { kind: 'bureau', decision: 'approve' },
    ],
    finalStatus: 'completed',
    events: [...SUBMITTED, 'PlatformReviewApproved', ...SMS_PASSED, ...ISSUED],
  },
  platform_rejected: {
    steps: [{ kind: 'platform', decision: 'reject' }],
    finalStatus: 'rejected',
    events: [...SUBMITTED, 'PlatformReviewRejected'],
  },
  corrected_then_completed: {
    steps: [
      { kind: 'platform', decision: 'return' },
      { kind: 'correct' },
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 0 },
      { kind: 'bureau', decision: 'approve' },
    ],
    finalStatus: 'completed',
    events: [
      ...SUBMITTED,
      'FilingReturnedForCorrection',
      'FilingCorrected',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      ...SMS_PASSED,
      ...ISSUED,
    ],
  },
  sms_exhausted_then_resubmitted: {
    steps: [
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 5, giveUp: true },
      { kind: 'resubmit' },
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 2, wrong: 0 },
      { kind: 'bureau', decision: 'approve' },
    ],
    finalStatus: 'completed',
    events: [
      ...SUBMITTED,
      'PlatformReviewApproved',
      'SmsVerificationSent',
      ...FIVE_FAILURES,
      'FilingReturnedToPlatform',
      'FilingResubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      ...SMS_PASSED,
      ...ISSUED,
    ],
  },
  one_wrong_code_then_completed: {
    steps: [
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 1, resend: true },
      { kind: 'bureau', decision: 'approve' },
    ],
    finalStatus: 'completed',
    events: [
      ...SUBMITTED,
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerificationFailed',
      'SmsVerified',
      ...ISSUED,
    ],
  },
  bureau_rejected: {
    steps: [
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 0 },
      { kind: 'bureau', decision: 'reject' },
    ],
    finalStatus: 'rejected',
    events: [
      ...SUBMITTED,
      'PlatformReviewApproved',
      ...SMS_PASSED,
      ...BUREAU_STARTED,
      'BureauReviewRejected',
    ],
  },
  /** Withdrawal ends with the platform's approval; a filing back with the platform may be withdrawn again. */
  withdrawn_after_sms_failure: {
    steps: [
      { kind: 'platform', decision: 'approve' },
      { kind: 'sms', round: 1, wrong: 5, giveUp: true },
      { kind: 'withdraw', from: 'returned_to_platform' },
    ],
    finalStatus: 'withdrawn',
    events: [
      ...SUBMITTED,
      'PlatformReviewApproved',
      'SmsVerificationSent',
      ...FIVE_FAILURES,
      'FilingReturnedToPlatform',
      'FilingWithdrawn',
    ],
  },
  withdrawn_in_platform_review: {
    steps: [{ kind: 'withdraw', from: 'platform_review' }],
    finalStatus: 'withdrawn',
    events: [...SUBMITTED, 'FilingWithdrawn'],
  },
} as const satisfies Record<string, FaultPath>;

export type FaultPathName = keyof typeof FAULT_PATHS;

/** The mix of a run, cycled through by filing index: completions weigh most, every path appears. */
export const FAULT_PATH_MIX: readonly FaultPathName[] = [
  'completed',
  'platform_rejected',
  'corrected_then_completed',
  'completed',
  'sms_exhausted_then_resubmitted',
  'bureau_rejected',
  'one_wrong_code_then_completed',
  'withdrawn_after_sms_failure',
  'completed',
  'withdrawn_in_platform_review',
];

export function pathOf(index: number): FaultPathName {
  return FAULT_PATH_MIX[index % FAULT_PATH_MIX.length] as FaultPathName;
}
