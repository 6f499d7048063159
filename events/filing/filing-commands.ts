import type { Actor } from './actor';
import type { FieldReason, IssuanceRefusal, ReviewDeadline } from './filing-events';
import type { FilingTarget, FilingKind } from './filing-kind';

export type WithdrawalRule = 'until_platform_approval' | 'until_bureau_decision';

export type PlatformDecision = 'approve' | 'reject' | 'return';
export type BureauDecision = 'approve' | 'reject' | 'return';
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
  /** `fieldReasons`: per-field reasons of a reject or return (checked by `decide`, refused on approve). */
  | {
      type: 'ReviewAsPlatform';
      actor: Actor;
      decision: PlatformDecision;
      reasons?: string;
      fieldReasons?: readonly FieldReason[];
    }
  | { type: 'CorrectFiling'; actor: Actor; form: unknown; correctedOn: string }
  | { type: 'RecordSmsSent'; actor: Actor; challengeId: string; expiresAt: string }
  | { type: 'RecordSmsCheck'; actor: Actor; challengeId: string; outcome: SmsCheckOutcome }
  | { type: 'ExpireSmsChallenge'; actor: Actor; challengeId: string }
  /** A new code under `challengeId`, sent (by the activity) at `at`, on the platform's request. */
  | { type: 'RequestSmsResend'; actor: Actor; challengeId: string; at: string }
  /** The same, sent by the process itself at noon China time the day after the round's first code. */
  | { type: 'SendScheduledSmsResend'; actor: Actor; challengeId: string; at: string }
  | { type: 'ResubmitFiling'; actor: Actor; reasons?: string }
  | { type: 'StartBureauReview'; actor: Actor; deadline: ReviewDeadline }
  | { type: 'FlagBureauReviewOverdue'; actor: Actor }
  /** A bureau return needs reasons and at least one field reason. */
  | {
      type: 'ReviewAsBureau';
      actor: Actor;
      decision: BureauDecision;
      reasons?: string;
      fieldReasons?: readonly FieldReason[];
    }
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
  /**
   * `rule`: absent = the platforms' rule (until the platform has approved the filing); only a workflow
   * replaying a run recorded under the earlier rule names `until_bureau_decision` (decide/submission.ts).
   */
  | { type: 'WithdrawFiling'; actor: Actor; reasons?: string; rule?: WithdrawalRule };

export type FilingCommandType = FilingCommand['type'];
export type FilingCommandOf<T extends FilingCommandType> = Extract<FilingCommand, { type: T }>;
