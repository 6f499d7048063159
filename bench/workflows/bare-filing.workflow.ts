import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BareActivities } from '../lib/bare-activities';

/**
 * The bare engine for the lifecycle benchmark: the filing workflow's shape — the same 16 activities
 * for a filing that completes, the same three updates with validators, the same three waits with a
 * deadline timer, the same `status` query — with activities and handlers that do nothing.
 */

// The filing workflow's two sets of activity options (appends; other calls).
const { nothing: append } = proxyActivities<BareActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const { nothing: call } = proxyActivities<BareActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface BareStatus {
  status: string;
}

export const bareStatusQuery = defineQuery<BareStatus>('status');
export const barePlatformReviewUpdate = defineUpdate<BareStatus, [unknown]>('platformReview');
export const bareSmsVerificationUpdate = defineUpdate<BareStatus, [unknown]>('smsVerification');
export const bareBureauReviewUpdate = defineUpdate<BareStatus, [unknown]>('bureauReview');

export async function bareFilingWorkflow(_input: { filingId: string }): Promise<BareStatus> {
  let status = 'submitted';
  const inStage =
    (stage: string) =>
    (_request: unknown): void => {
      if (status !== stage) throw new Error(`wrong stage: ${status}`);
    };
  setHandler(bareStatusQuery, () => ({ status }));
  setHandler(
    barePlatformReviewUpdate,
    async (_request: unknown) => {
      await append();
      status = 'platform_approved';
      return { status };
    },
    { validator: inStage('platform_review') },
  );
  setHandler(
    bareSmsVerificationUpdate,
    async (_request: unknown) => {
      await call(); // checkSmsAnswer
      await append();
      status = 'sms_verified';
      return { status };
    },
    { validator: inStage('sms_verification') },
  );
  setHandler(
    bareBureauReviewUpdate,
    async (_request: unknown) => {
      await append();
      status = 'bureau_approved';
      return { status };
    },
    { validator: inStage('bureau_review') },
  );

  await append(); // FilingSubmitted
  await call(); // computeDeadline
  await append(); // PlatformReviewStarted
  status = 'platform_review';
  await condition(() => status !== 'platform_review', '2 days');
  await call(); // sendSmsChallenge
  await append(); // SmsVerificationSent
  status = 'sms_verification';
  await condition(() => status !== 'sms_verification', '24 hours');
  await call(); // computeDeadline
  await append(); // BureauReviewStarted
  status = 'bureau_review';
  await condition(() => status !== 'bureau_review', '28 days');
  await call(); // allocateRegistrationNumber
  await append(); // RegistrationNumberIssued
  await append(); // RegistrationPublished
  await call(); // notifyApplicant
  await append(); // ApplicantNotified
  status = 'completed';
  return { status };
}
