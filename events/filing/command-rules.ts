import type { ActorRole } from './actor';
import type { FilingCommandOf, FilingCommandType } from './filing-commands';
import type { FilingEventOf, FilingEventType } from './filing-events';
import type { FilingState } from './filing-state';

/** Who may give a command, what it is called in a refusal, and which events it may record. */
export interface FilingCommandRule {
  readonly roles: readonly ActorRole[];
  /** Completes "role X may not …". */
  readonly action: string;
  readonly records: readonly FilingEventType[];
}

/**
 * The one table of the filing commands: `decide` checks the actor's role against it and may only
 * produce the events it lists (checked by the compiler), and the auditor derives from it who may
 * have recorded each event (`EVENT_RECORDER_ROLES`).
 */
export const FILING_COMMAND_RULES = {
  SubmitFiling: { roles: ['platform'], action: 'submit a filing', records: ['FilingSubmitted'] },
  StartPlatformReview: { roles: ['system'], action: 'start a review', records: ['PlatformReviewStarted'] },
  FlagPlatformReviewOverdue: {
    roles: ['system'],
    action: 'flag a review overdue',
    records: ['PlatformReviewOverdue'],
  },
  ReviewAsPlatform: {
    roles: ['platform'],
    action: 'decide a platform review',
    records: ['PlatformReviewApproved', 'PlatformReviewRejected', 'FilingReturnedForCorrection'],
  },
  CorrectFiling: { roles: ['platform'], action: 'correct a filing', records: ['FilingCorrected'] },
  RecordSmsSent: { roles: ['system'], action: 'record an SMS', records: ['SmsVerificationSent'] },
  /** An applicant's late code records the expiry itself. */
  RecordSmsCheck: {
    roles: ['applicant'],
    action: 'verify an SMS code',
    records: ['SmsVerified', 'SmsVerificationFailed', 'SmsVerificationExpired', 'FilingReturnedToPlatform'],
  },
  ExpireSmsChallenge: {
    roles: ['system'],
    action: 'expire an SMS',
    records: ['SmsVerificationExpired', 'FilingReturnedToPlatform'],
  },
  RequestSmsResend: {
    roles: ['platform'],
    action: 'request an SMS resend',
    records: ['SmsVerificationResent'],
  },
  SendScheduledSmsResend: {
    roles: ['system'],
    action: 'send the scheduled SMS resend',
    records: ['SmsVerificationResent'],
  },
  ResubmitFiling: { roles: ['platform'], action: 'resubmit a filing', records: ['FilingResubmitted'] },
  StartBureauReview: { roles: ['system'], action: 'start a review', records: ['BureauReviewStarted'] },
  FlagBureauReviewOverdue: {
    roles: ['system'],
    action: 'flag a review overdue',
    records: ['BureauReviewOverdue'],
  },
  ReviewAsBureau: {
    roles: ['bureau'],
    action: 'decide a bureau review',
    records: ['BureauReviewApproved', 'BureauReviewRejected', 'BureauReviewReturned'],
  },
  IssueRegistrationNumber: {
    roles: ['system'],
    action: 'issue a number',
    records: ['RegistrationNumberIssued'],
  },
  RefuseRegistrationNumber: {
    roles: ['system'],
    action: 'refuse a number',
    records: ['RegistrationNumberRefused'],
  },
  ApplyToRegistry: {
    roles: ['system'],
    action: 'apply a filing to the registry',
    records: ['FilingAppliedToRegistry'],
  },
  PublishRegistration: {
    roles: ['system'],
    action: 'publish a registration',
    records: ['RegistrationPublished'],
  },
  NotifyApplicant: { roles: ['system'], action: 'notify the applicant', records: ['ApplicantNotified'] },
  WithdrawFiling: { roles: ['platform'], action: 'withdraw a filing', records: ['FilingWithdrawn'] },
} as const satisfies Record<FilingCommandType, FilingCommandRule>;

/** The events command `T` may record, as the table lists them. */
export type EventRecordedBy<T extends FilingCommandType> = FilingEventOf<
  (typeof FILING_COMMAND_RULES)[T]['records'][number]
>;

/** One command's decision: the events it records in `state`, or a FilingDomainError saying why none. */
export type Decider<T extends FilingCommandType> = (
  command: FilingCommandOf<T>,
  state: FilingState,
) => EventRecordedBy<T>[];
