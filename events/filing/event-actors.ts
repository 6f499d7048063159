import type { ActorRole } from './actor';
import type { FilingEventType } from './filing-events';

/**
 * The roles whose commands `decide` turns into each event: what an auditor accepts as the recorder
 * of an event. An applicant's late code records the expiry itself, so expiry has two.
 */
export const EVENT_RECORDER_ROLES: Readonly<Record<FilingEventType, readonly ActorRole[]>> = {
  FilingSubmitted: ['platform'],
  PlatformReviewStarted: ['system'],
  PlatformReviewOverdue: ['system'],
  PlatformReviewApproved: ['platform'],
  FilingReturnedForCorrection: ['platform'],
  FilingCorrected: ['platform'],
  PlatformReviewRejected: ['platform'],
  SmsVerificationSent: ['system'],
  SmsVerificationFailed: ['applicant'],
  SmsVerified: ['applicant'],
  SmsVerificationExpired: ['applicant', 'system'],
  FilingReturnedToPlatform: ['applicant', 'system'],
  FilingResubmitted: ['platform'],
  BureauReviewStarted: ['system'],
  BureauReviewOverdue: ['system'],
  BureauReviewApproved: ['bureau'],
  BureauReviewRejected: ['bureau'],
  RegistrationNumberIssued: ['system'],
  RegistrationPublished: ['system'],
  ApplicantNotified: ['system'],
  FilingWithdrawn: ['platform'],
};
