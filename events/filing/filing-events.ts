import type { RegistrationForm, ServiceType } from '../form/registration-form';
import type { ProvinceCode } from '../provinces';
import type { Actor } from './actor';
import type { FilingTarget, RegistrationFilingKind } from './filing-kind';
import type { SmsResendTrigger } from './sms-resend';

/** A deadline computed by the working-day calendar; provisional when a year's holidays are not announced. */
export interface Deadline {
  readonly dueAt: string;
  readonly provisional: boolean;
}

/** A review's deadline with the working-day allowance it was computed with (`sla.ts`), as recorded. */
export interface ReviewDeadline extends Deadline {
  /** The working days `dueAt` was counted with (schemaVersion 2; v1 events are upcast to v1's allowance). */
  readonly workingDays: number;
}

export type ReturnToPlatformReason = 'sms_attempts_exhausted' | 'sms_expired';

/**
 * One problem a reviewer found at one field of the form, beside the explanation (`reasons`) of a
 * rejection or return: `path` a field path of the registration form as validation errors name it
 * (`app.platforms.0.packageName`, `isFormFieldPath`), `problem` what is wrong, `suggestion` what to do.
 */
export interface FieldReason {
  path: string;
  problem: string;
  suggestion?: string;
}

/** The explanation of a rejection or return, with its per-field reasons when the reviewer gave any. */
export interface ReviewReasons {
  reasons: string;
  /** Absent when none were given (and in every event recorded before they were kept). */
  fieldReasons?: FieldReason[];
}

/**
 * Why no number could be issued to an approved filing: what it says of its subject no longer holds
 * in the registry (e.g. another filing registered the certificate meanwhile). The platform corrects it.
 */
export type IssuanceRefusal =
  /** existingSubjectNumber is not in the registry under the certificate the filing carries. */
  | 'subject_not_registered'
  /** The certificate holds another subject number than the one the filing names. */
  | 'subject_number_mismatch'
  /** Neither the form nor the registry names the operator (a subject registered before names were kept). */
  | 'operator_unknown'
  /** A change, cancellation or new access no longer fits the registry (e.g. the service was cancelled). */
  | 'registry_changed';

/**
 * Every domain event, as `{type, data}`, in the shape of FILING_SCHEMA_VERSION. Names are the contract:
 * past tense, never renamed. Stored events of older versions reach the domain through `upcastFilingEvent`.
 */
export type FilingEvent =
  | {
      type: 'FilingSubmitted';
      data: {
        filingId: string;
        platformId: string;
        province: ProvinceCode;
        serviceType: ServiceType;
        appName: string;
        form: RegistrationForm;
        /** Absent: a new registration (every filing recorded before the other kinds existed). */
        kind?: RegistrationFilingKind;
        /** The registration a change, cancellation or new access acts on. */
        target?: FilingTarget;
        /** Why the platform files it, as it stated (a cancellation's reasons); never on a new registration. */
        reasons?: string;
      };
    }
  | { type: 'PlatformReviewStarted'; data: ReviewDeadline & { round: number } }
  | { type: 'PlatformReviewOverdue'; data: { dueAt: string } }
  | { type: 'PlatformReviewApproved'; data: { reasons?: string } }
  | { type: 'FilingReturnedForCorrection'; data: ReviewReasons }
  | { type: 'FilingCorrected'; data: { form: RegistrationForm; appName: string } }
  | { type: 'PlatformReviewRejected'; data: ReviewReasons }
  | { type: 'SmsVerificationSent'; data: { challengeId: string; round: number; expiresAt: string } }
  | {
      type: 'SmsVerificationFailed';
      data: { challengeId: string; failedAttempts: number; attemptsLeft: number };
    }
  /**
   * A new code for the same round (`<filingId>:sms:<round>:<resend>`): the one before is dead; the
   * window (`expiresAt`) stays the round's. Asked by the platform, or sent by the process at noon.
   */
  | {
      type: 'SmsVerificationResent';
      data: {
        challengeId: string;
        previousChallengeId: string;
        trigger: SmsResendTrigger;
        expiresAt: string;
      };
    }
  | { type: 'SmsVerified'; data: { challengeId: string } }
  | { type: 'SmsVerificationExpired'; data: { challengeId: string; expiresAt: string } }
  | { type: 'FilingReturnedToPlatform'; data: { reason: ReturnToPlatformReason } }
  | { type: 'FilingResubmitted'; data: { reasons?: string } }
  | { type: 'BureauReviewStarted'; data: ReviewDeadline & { province: ProvinceCode } }
  | { type: 'BureauReviewOverdue'; data: { dueAt: string } }
  | { type: 'BureauReviewApproved'; data: { reasons?: string } }
  | { type: 'BureauReviewRejected'; data: ReviewReasons }
  /** The bureau sends the filing back for correction: reviewed by the platform again, a new SMS round. */
  | { type: 'BureauReviewReturned'; data: Required<ReviewReasons> }
  | {
      type: 'RegistrationNumberIssued';
      /** `operatorName`: as the registry publishes it; absent in events recorded before it was kept. */
      data: { subjectNumber: string; serviceNumber: string; operatorName?: string };
    }
  | { type: 'RegistrationNumberRefused'; data: { refusal: IssuanceRefusal; reasons: string } }
  /** A change, cancellation or new access applied to the registry: the service numbers it touched. */
  | { type: 'FilingAppliedToRegistry'; data: { subjectNumber: string; serviceNumbers: string[] } }
  | {
      type: 'RegistrationPublished';
      data: {
        registrationNumber: string;
        appName: string;
        serviceType: ServiceType;
        operatorName: string;
        province: ProvinceCode;
      };
    }
  | { type: 'ApplicantNotified'; data: { channels: Array<'sms' | 'email'> } }
  | { type: 'FilingWithdrawn'; data: { reasons?: string } };

export type FilingEventType = FilingEvent['type'];
export type FilingEventOf<T extends FilingEventType> = Extract<FilingEvent, { type: T }>;

export const FILING_EVENT_TYPES: readonly FilingEventType[] = [
  'FilingSubmitted',
  'PlatformReviewStarted',
  'PlatformReviewOverdue',
  'PlatformReviewApproved',
  'FilingReturnedForCorrection',
  'FilingCorrected',
  'PlatformReviewRejected',
  'SmsVerificationSent',
  'SmsVerificationFailed',
  'SmsVerificationResent',
  'SmsVerified',
  'SmsVerificationExpired',
  'FilingReturnedToPlatform',
  'FilingResubmitted',
  'BureauReviewStarted',
  'BureauReviewOverdue',
  'BureauReviewApproved',
  'BureauReviewRejected',
  'BureauReviewReturned',
  'RegistrationNumberIssued',
  'RegistrationNumberRefused',
  'FilingAppliedToRegistry',
  'RegistrationPublished',
  'ApplicantNotified',
  'FilingWithdrawn',
];

export interface RecordedActorScope {
  readonly role: Actor['role'];
  readonly id: string;
  readonly platformId?: string;
  readonly province?: ProvinceCode;
}

/** Envelope metadata; `hash` chains every event to the one before it. */
export interface FilingEventMetadata {
  readonly filingId: string;
  readonly seq: number;
  /** Workflow time of the transition (ISO 8601). */
  readonly occurredAt: string;
  /**
   * Who recorded the transition. From schemaVersion 2 with its scope (a platform actor's platformId,
   * a bureau actor's province), so an auditor can check scope from the log alone.
   */
  readonly actor: RecordedActorScope;
  readonly correlationId: string;
  readonly causationId: string;
  /** The FILING_SCHEMA_VERSION the writer sealed the event with: the shape its `data` is stored in. */
  readonly schemaVersion: number;
  readonly prevHash: string;
  readonly hash: string;
}

export type FilingEnvelope = FilingEvent & { id: string; metadata: FilingEventMetadata };

/**
 * An envelope as the log holds it: `data` in the shape of `metadata.schemaVersion`, which may be older
 * than this build's. The hash chain is over this form; the domain reads it through `upcastFilingEvent`.
 */
export interface StoredFilingEnvelope {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: FilingEventMetadata;
}

/**
 * The shape of event data this build writes (and reads, after upcasting: see `upcast.ts`).
 * 1: the first shape. 2: PlatformReviewStarted and BureauReviewStarted record `workingDays`.
 */
export const FILING_SCHEMA_VERSION = 2;
