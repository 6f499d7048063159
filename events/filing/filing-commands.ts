import type { Actor } from './actor';
import type { IssuanceRefusal, ReviewDeadline } from './filing-events';
import type { FilingTarget, FilingKind } from './filing-kind';

export type PlatformDecision = 'approve' | 'reject' | 'return';
export type BureauDecision = 'approve' | 'reject';
export type SmsCheckOutcome = 'match' | 'mismatch' | 'expired';

/** Imperative; `actor` is who asks. Forms arrive as unknown JSON and are validated by `decide`. */
export type FilingCommand =
  | {
      type: 'SubmitFiling';
      actor: Actor;
      filingId: string;
      form: unknown;
      submittedOn: string;
      /** Absent: a new registration. Any other kind needs `target`. */
      kind?: FilingKind;
      target?: FilingTarget;
      /** A change, cancellation or new access: why, as the platform states it. */
      reasons?: string;
    }
  /** `deadline.workingDays`: the allowance `dueAt` was computed with (recorded in the event). */
  | { type: 'StartPlatformReview'; actor: Actor; deadline: ReviewDeadline }
  | { type: 'FlagPlatformReviewOverdue'; actor: Actor }
  | { type: 'ReviewAsPlatform'; actor: Actor; decision: PlatformDecision; reasons?: string }
  | { type: 'CorrectFiling'; actor: Actor; form: unknown; correctedOn: string }
  | { type: 'RecordSmsSent'; actor: Actor; challengeId: string; expiresAt: string }
  | { type: 'RecordSmsCheck'; actor: Actor; challengeId: string; outcome: SmsCheckOutcome }
  | { type: 'ExpireSmsChallenge'; actor: Actor; challengeId: string }
  | { type: 'ResubmitFiling'; actor: Actor; reasons?: string }
  | { type: 'StartBureauReview'; actor: Actor; deadline: ReviewDeadline }
  | { type: 'FlagBureauReviewOverdue'; actor: Actor }
  | { type: 'ReviewAsBureau'; actor: Actor; decision: BureauDecision; reasons?: string }
  | {
      type: 'IssueRegistrationNumber';
      actor: Actor;
      subjectNumber: string;
      serviceNumber: string;
      operatorName?: string;
    }
  | { type: 'RefuseRegistrationNumber'; actor: Actor; refusal: IssuanceRefusal; reasons: string }
  /** A change, cancellation or new access, applied by the registry: what it touched. */
  | { type: 'ApplyToRegistry'; actor: Actor; subjectNumber: string; serviceNumbers: string[] }
  | { type: 'PublishRegistration'; actor: Actor }
  | { type: 'NotifyApplicant'; actor: Actor; channels: Array<'sms' | 'email'> }
  | { type: 'WithdrawFiling'; actor: Actor; reasons?: string };

export type FilingCommandType = FilingCommand['type'];
export type FilingCommandOf<T extends FilingCommandType> = Extract<FilingCommand, { type: T }>;
