import { assertNever } from '../assert-never';
import type { FilingEvent, ReviewReasons } from './filing-events';
import { FilingDomainError } from './filing-errors';
import { type FilingState, inStatus, type SubmittedFilingState } from './filing-state';
import { isLegalTransition } from './transitions';

/** An event with the one piece of metadata the fold needs: when it happened. */
export type TimedFilingEvent = FilingEvent & { readonly metadata: { readonly occurredAt: string } };

function submitted(state: FilingState, type: string): SubmittedFilingState {
  if (state.status === 'not_submitted') {
    throw new FilingDomainError('illegal_transition', `${type} before FilingSubmitted`, {
      status: state.status,
    });
  }
  return state;
}

/** The reasons as the state keeps them: field reasons only when there are any. */
function reviewReasons(data: ReviewReasons): ReviewReasons {
  return data.fieldReasons && data.fieldReasons.length > 0
    ? { reasons: data.reasons, fieldReasons: data.fieldReasons }
    : { reasons: data.reasons };
}

/** The one fold of a filing's history: pure, used by the workflow and by auditors alike. */
export function evolve(state: FilingState, event: TimedFilingEvent): FilingState {
  if (!isLegalTransition(state.status, event.type)) {
    throw new FilingDomainError('illegal_transition', `${event.type} cannot follow status ${state.status}`, {
      status: state.status,
    });
  }
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'FilingSubmitted':
      return {
        status: 'submitted',
        filingId: event.data.filingId,
        kind: event.data.kind ?? 'new_registration',
        ...(event.data.target && { target: event.data.target }),
        platformId: event.data.platformId,
        province: event.data.province,
        serviceType: event.data.serviceType,
        appName: event.data.appName,
        form: event.data.form,
        submittedAt: at,
        platformReviewRound: 0,
        smsRound: 0,
      };
    case 'PlatformReviewStarted': {
      const s = submitted(state, event.type);
      return inStatus(s, {
        status: 'platform_review',
        platformReviewRound: event.data.round,
        review: {
          startedAt: at,
          dueAt: event.data.dueAt,
          provisional: event.data.provisional,
          overdue: false,
        },
      });
    }
    case 'PlatformReviewOverdue':
    case 'BureauReviewOverdue': {
      const s = submitted(state, event.type);
      if (s.status !== 'platform_review' && s.status !== 'bureau_review') return s;
      return { ...s, review: { ...s.review, overdue: true } };
    }
    case 'PlatformReviewApproved':
      return inStatus(submitted(state, event.type), { status: 'platform_approved' });
    case 'FilingReturnedForCorrection':
      return inStatus(submitted(state, event.type), {
        status: 'returned_for_correction',
        returnedBy: 'platform',
        ...reviewReasons(event.data),
      });
    case 'BureauReviewReturned':
      return inStatus(submitted(state, event.type), {
        status: 'returned_for_correction',
        returnedBy: 'bureau',
        ...reviewReasons(event.data),
      });
    case 'FilingCorrected':
      return inStatus(submitted(state, event.type), {
        status: 'submitted',
        form: event.data.form,
        appName: event.data.appName,
      });
    case 'PlatformReviewRejected':
      return inStatus(submitted(state, event.type), {
        status: 'rejected',
        rejectedBy: 'platform',
        ...reviewReasons(event.data),
      });
    case 'SmsVerificationSent':
      return inStatus(submitted(state, event.type), {
        status: 'sms_verification',
        smsRound: event.data.round,
        challengeId: event.data.challengeId,
        expiresAt: event.data.expiresAt,
        failedAttempts: 0,
      });
    case 'SmsVerificationFailed': {
      const s = submitted(state, event.type);
      return s.status === 'sms_verification' ? { ...s, failedAttempts: event.data.failedAttempts } : s;
    }
    case 'SmsVerificationResent': {
      const s = submitted(state, event.type);
      if (s.status !== 'sms_verification') return s;
      return {
        ...s,
        challengeId: event.data.challengeId,
        expiresAt: event.data.expiresAt,
        resends: [...(s.resends ?? []), event.data.trigger],
      };
    }
    case 'SmsVerified':
      return inStatus(submitted(state, event.type), { status: 'sms_verified' });
    case 'SmsVerificationExpired': {
      const s = submitted(state, event.type);
      return s.status === 'sms_verification' ? { ...s, expiresAt: event.data.expiresAt } : s;
    }
    case 'FilingReturnedToPlatform':
      return inStatus(submitted(state, event.type), {
        status: 'returned_to_platform',
        reason: event.data.reason,
      });
    case 'FilingResubmitted':
      return inStatus(submitted(state, event.type), { status: 'submitted' });
    case 'BureauReviewStarted':
      return inStatus(submitted(state, event.type), {
        status: 'bureau_review',
        review: {
          startedAt: at,
          dueAt: event.data.dueAt,
          provisional: event.data.provisional,
          overdue: false,
        },
      });
    case 'BureauReviewApproved':
      return inStatus(submitted(state, event.type), { status: 'bureau_approved' });
    case 'BureauReviewRejected':
      return inStatus(submitted(state, event.type), {
        status: 'rejected',
        rejectedBy: 'bureau',
        ...reviewReasons(event.data),
      });
    case 'RegistrationNumberIssued':
      return inStatus(submitted(state, event.type), {
        status: 'registered',
        subjectNumber: event.data.subjectNumber,
        serviceNumber: event.data.serviceNumber,
        ...(event.data.operatorName === undefined ? {} : { operatorName: event.data.operatorName }),
      });
    case 'FilingAppliedToRegistry': {
      const s = submitted(state, event.type);
      return inStatus(s, {
        status: 'registered',
        subjectNumber: event.data.subjectNumber,
        // A subject cancellation touches the whole subject: its number stands for the registration.
        serviceNumber: s.target?.serviceNumber ?? s.target?.subjectNumber ?? event.data.subjectNumber,
      });
    }
    case 'RegistrationNumberRefused':
      return inStatus(submitted(state, event.type), {
        status: 'returned_for_correction',
        returnedBy: 'registry',
        reasons: event.data.reasons,
      });
    case 'RegistrationPublished': {
      const s = submitted(state, event.type);
      if (s.status !== 'registered') return s;
      return { ...s, status: 'published' };
    }
    case 'ApplicantNotified': {
      const s = submitted(state, event.type);
      if (s.status !== 'published') return s;
      return { ...s, status: 'completed' };
    }
    case 'FilingWithdrawn':
      return inStatus(submitted(state, event.type), { status: 'withdrawn' });
    default:
      return assertNever(event, 'filing event');
  }
}

export function foldFiling(
  events: readonly TimedFilingEvent[],
  from: FilingState = { status: 'not_submitted' },
): FilingState {
  return events.reduce(evolve, from);
}
