import { assertNever } from '../assert-never';
import type { ServiceType } from '../form/registration-form';
import type { FieldReason, FilingEvent, ReturnToPlatformReason } from './filing-events';
import type { FilingKind } from './filing-kind';
import type { FilingFacts, FilingState } from './filing-state';
import { smsRecipientOf } from './sms-recipient';

/** Every event a filing records, as far as notices are concerned. */
export type NoticeEvent = FilingEvent;

export type NoticeChannel = 'sms' | 'email';

/** What every notice names: the filing, its app and what the filing asks for. No personal data. */
export interface NoticeFacts {
  readonly filingId: string;
  readonly appName: string;
  readonly serviceType: ServiceType;
  readonly kind: FilingKind;
}

type Reasons = { readonly reasons: string; readonly fieldReasons: readonly FieldReason[] };

/**
 * What the applicant is told, as a template and the facts its text needs; the texts themselves (in
 * Chinese) are the activities' (`activities/filing/notices.ts`). Never an ID number or a code.
 */
export type OutcomeNotice =
  | { template: 'platform_approved'; facts: NoticeFacts }
  | { template: 'platform_returned'; facts: NoticeFacts & Reasons }
  | { template: 'platform_rejected'; facts: NoticeFacts & Reasons }
  | { template: 'sms_sent'; facts: NoticeFacts & { readonly expiresAt: string } }
  | { template: 'returned_to_platform'; facts: NoticeFacts & { readonly reason: ReturnToPlatformReason } }
  | { template: 'registry_returned'; facts: NoticeFacts & { readonly refusal: string } }
  | { template: 'bureau_returned'; facts: NoticeFacts & Reasons }
  | { template: 'bureau_rejected'; facts: NoticeFacts & Reasons }
  | {
      /** The number issued (a new registration) or the registration changed, cancelled or given access. */
      template: 'registered';
      facts: NoticeFacts & { readonly registrationNumber: string };
    }
  | { template: 'withdrawn'; facts: NoticeFacts };

export type NoticeTemplate = OutcomeNotice['template'];

/**
 * The channels of each notice. The 12381 code SMS follows a platform approval at once and is itself
 * the SMS of that moment: the approval and the "code sent" notices go by e-mail only, so the code is
 * the newest SMS the applicant's phone holds while it is valid. Every other outcome goes by both.
 */
export const NOTICE_CHANNELS: Readonly<Record<NoticeTemplate, readonly NoticeChannel[]>> = {
  platform_approved: ['email'],
  platform_returned: ['sms', 'email'],
  platform_rejected: ['sms', 'email'],
  sms_sent: ['email'],
  returned_to_platform: ['sms', 'email'],
  registry_returned: ['sms', 'email'],
  bureau_returned: ['sms', 'email'],
  bureau_rejected: ['sms', 'email'],
  registered: ['sms', 'email'],
  withdrawn: ['sms', 'email'],
};

/** Where a filing's notices go: the person its SMS goes to. Personal data: never logged. */
export interface NoticeRecipient {
  readonly mobile: string;
  readonly email: string;
}

/** The person the filing's 12381 SMS goes to hears of its outcomes. */
export function noticeRecipientOf(facts: FilingFacts): NoticeRecipient {
  const person = smsRecipientOf(facts);
  return { mobile: person.mobile, email: person.email };
}

/** The facts every notice names, from the filing's. */
export const noticeFactsOf = (s: FilingFacts): NoticeFacts => ({
  filingId: s.filingId,
  appName: s.appName,
  serviceType: s.serviceType,
  kind: s.kind,
});

const withReasons = (
  s: FilingFacts,
  data: { reasons: string; fieldReasons?: readonly FieldReason[] },
): NoticeFacts & Reasons => ({
  ...noticeFactsOf(s),
  reasons: data.reasons,
  fieldReasons: data.fieldReasons ?? [],
});

/**
 * Pure: whether the applicant is told of `event`, recorded with `stateAfter` as its fold. Every
 * event type is decided here (a new one fails to compile until it is). Not notified: the steps the
 * applicant takes part in or cannot act on (submission, review starts, deadlines, SMS checks), and
 * the registration itself, which the run announces once it is published (`registeredNoticeOf`).
 */
export function noticeOf(event: NoticeEvent, stateAfter: FilingState): OutcomeNotice | undefined {
  if (stateAfter.status === 'not_submitted') return undefined;
  const s = stateAfter;
  switch (event.type) {
    case 'PlatformReviewApproved':
      return { template: 'platform_approved', facts: noticeFactsOf(s) };
    case 'FilingReturnedForCorrection':
      return { template: 'platform_returned', facts: withReasons(s, event.data) };
    case 'PlatformReviewRejected':
      return { template: 'platform_rejected', facts: withReasons(s, event.data) };
    case 'SmsVerificationSent':
      return { template: 'sms_sent', facts: { ...noticeFactsOf(s), expiresAt: event.data.expiresAt } };
    case 'FilingReturnedToPlatform':
      return { template: 'returned_to_platform', facts: { ...noticeFactsOf(s), reason: event.data.reason } };
    case 'RegistrationNumberRefused':
      return { template: 'registry_returned', facts: { ...noticeFactsOf(s), refusal: event.data.refusal } };
    case 'BureauReviewReturned':
      return { template: 'bureau_returned', facts: withReasons(s, event.data) };
    case 'BureauReviewRejected':
      return { template: 'bureau_rejected', facts: withReasons(s, event.data) };
    case 'FilingWithdrawn':
      return { template: 'withdrawn', facts: noticeFactsOf(s) };
    // Told once published, by the ApplicantNotified step (`registeredNoticeOf`): the lookup shows it then.
    case 'RegistrationNumberIssued':
    case 'FilingAppliedToRegistry':
    case 'RegistrationPublished':
    case 'ApplicantNotified':
    case 'BureauReviewApproved':
      return undefined;
    // An expiry or a fifth wrong code is told with the return to the platform recorded with it.
    case 'SmsVerificationExpired':
    case 'SmsVerificationFailed':
    case 'SmsVerified':
      return undefined;
    // A resent code is its own message (the 12381 SMS); the window it closes in is unchanged.
    case 'SmsVerificationResent':
      return undefined;
    // The platform's own steps, and the system's bookkeeping.
    case 'FilingSubmitted':
    case 'FilingCorrected':
    case 'FilingResubmitted':
    case 'PlatformReviewStarted':
    case 'PlatformReviewOverdue':
    case 'BureauReviewStarted':
    case 'BureauReviewOverdue':
      return undefined;
    default:
      return assertNever(event, 'filing event');
  }
}

/**
 * The notice of a published registration (the ApplicantNotified step): the number issued to a new
 * registration, or the registration a change, cancellation or new access acted on.
 */
export function registeredNoticeOf(
  facts: NoticeFacts,
  registrationNumber: string,
): Extract<OutcomeNotice, { template: 'registered' }> {
  return { template: 'registered', facts: { ...facts, registrationNumber } };
}
