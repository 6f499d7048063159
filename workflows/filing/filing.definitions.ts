import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../events/filing/actor';
import type { BureauDecision, PlatformDecision } from '../../events/filing/filing-commands';
import type { FilingKind, FilingTarget } from '../../events/filing/filing-kind';
import type { FieldReason } from '../../events/filing/filing-events';
import type { FilingStatusView } from '../../events/filing/filing-view';

export interface FilingWorkflowInput {
  filingId: string;
  /** The registration form as submitted (validated again by the domain). */
  form: unknown;
  /** The platform actor that submitted it. */
  actor: Actor;
  /** The caller's action id (Idempotency-Key), recorded as the first event's causation. */
  actionId: string;
  correlationId: string;
  /** Absent: a new registration (every run started before the other kinds existed). */
  kind?: FilingKind;
  /** The registration a change, cancellation or new access acts on, resolved by the API. */
  target?: FilingTarget;
  /** Why the platform files it (a cancellation's reasons). */
  reasons?: string;
}

export interface FilingOutcome {
  status: FilingStatusView['status'];
  registrationNumber?: string;
  revision: number;
}

/** Every human decision carries who decides; the update id is the caller's action id. */
interface Decision {
  actor: Actor;
}

/** A review decision; a rejection or return may name the fields to correct (`fieldReasons`). */
interface ReviewDecision<D> extends Decision {
  decision: D;
  reasons?: string;
  fieldReasons?: FieldReason[];
}

export const platformReviewUpdate = defineUpdate<FilingStatusView, [ReviewDecision<PlatformDecision>]>(
  'platformReview',
);
export const correctionUpdate = defineUpdate<FilingStatusView, [Decision & { form: unknown }]>('correction');
export const resubmissionUpdate = defineUpdate<FilingStatusView, [Decision & { reasons?: string }]>(
  'resubmission',
);
/** The platform asks for the 12381 code to be sent again (once per SMS round, within its window). */
export const smsResendUpdate = defineUpdate<FilingStatusView, [Decision]>('smsResend');

export const withdrawalUpdate = defineUpdate<FilingStatusView, [Decision & { reasons?: string }]>(
  'withdrawal',
);
export const bureauReviewUpdate = defineUpdate<FilingStatusView, [ReviewDecision<BureauDecision>]>(
  'bureauReview',
);

export interface SmsVerificationResult {
  verified: boolean;
  attemptsLeft: number;
  status: FilingStatusView;
}
/** `sealedAnswer` is the code and ID suffix encrypted by the API, so neither enters workflow history. */
export const smsVerificationUpdate = defineUpdate<
  SmsVerificationResult,
  [Decision & { sealedAnswer: string }]
>('smsVerification');

/**
 * Answers once FilingSubmitted is recorded, with the filing's state then. The API sends it with the
 * workflow's start (update-with-start), so a submission is answered in one round trip.
 */
export const submittedUpdate = defineUpdate<FilingStatusView, []>('submitted');

export const statusQuery = defineQuery<FilingStatusView>('status');
