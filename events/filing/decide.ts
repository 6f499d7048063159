import { assertNever } from '../assert-never';
import { domicileProvinceOf } from '../form/domicile-province';
import type { RegistrationForm } from '../form/registration-form';
import { isProvinceCode, type ProvinceCode } from '../provinces';
import { validateRegistrationForm } from '../form/validate-form';
import type { Actor, ActorRole } from './actor';
import type { FilingCommand } from './filing-commands';
import { FilingDomainError } from './filing-errors';
import type { FilingEvent, ReviewDeadline } from './filing-events';
import { type FilingState, MAX_SMS_FAILED_ATTEMPTS, type SubmittedFilingState } from './filing-state';
import { stageOf } from './transitions';

const MAX_REASONS_LENGTH = 2000;
type Status = FilingState['status'];

function wrongStage(state: FilingState, what: string): FilingDomainError {
  const stage = stageOf(state.status);
  return new FilingDomainError(
    'wrong_stage',
    `${what} does not fit the filing's current stage ${stage} (${state.status})`,
    {
      status: state.status,
      stage,
    },
  );
}

function requireStatus<S extends Status>(
  state: FilingState,
  allowed: readonly S[],
  what: string,
): Extract<FilingState, { status: S }> {
  if (!(allowed as readonly Status[]).includes(state.status)) throw wrongStage(state, what);
  return state as Extract<FilingState, { status: S }>;
}

function requireRole(actor: Actor, roles: readonly ActorRole[], what: string): void {
  if (!roles.includes(actor.role)) {
    throw new FilingDomainError('forbidden_role', `role ${actor.role} may not ${what}`);
  }
}

/** Platforms act on their own filings, bureaus on their province's; anything else looks like no filing at all. */
function requireScope(actor: Actor, state: SubmittedFilingState): void {
  if (actor.role === 'platform' && actor.platformId !== state.platformId) {
    throw new FilingDomainError('out_of_scope', 'the filing is not one of this platform’s');
  }
  if (actor.role === 'bureau' && actor.province !== state.province) {
    throw new FilingDomainError('out_of_scope', 'the filing belongs to another province’s bureau');
  }
}

function reasons(value: string | undefined, required: boolean, what: string): string | undefined {
  const text = value?.trim();
  if (required && !text) {
    throw new FilingDomainError('invalid_command', `reasons are required to ${what}`, {
      field: 'reasons',
      rule: 'required',
    });
  }
  if (text && text.length > MAX_REASONS_LENGTH) {
    throw new FilingDomainError(
      'invalid_command',
      `reasons must be at most ${MAX_REASONS_LENGTH} characters`,
      {
        field: 'reasons',
        rule: 'too_long',
      },
    );
  }
  return text || undefined;
}

function validForm(input: unknown, on: string): RegistrationForm {
  const result = validateRegistrationForm(input, { submittedOn: on });
  if (!result.ok) {
    const first = result.errors[0];
    const where = first ? ` (first: ${first.path}: ${first.rule})` : '';
    throw new FilingDomainError('invalid_command', `the form has ${result.errors.length} error(s)${where}`, {
      field: first ? `form.${first.path}` : 'form',
      rule: first?.rule,
    });
  }
  return result.value;
}

function submittedState(state: FilingState, what: string): SubmittedFilingState {
  if (state.status === 'not_submitted') throw wrongStage(state, what);
  return state;
}

const WITHDRAWABLE: readonly Status[] = [
  'submitted',
  'platform_review',
  'returned_for_correction',
  'platform_approved',
  'sms_verification',
  'returned_to_platform',
  'sms_verified',
  'bureau_review',
];

/** Pure: which events a command produces in a state, or a FilingDomainError saying why none. */
export function decide(command: FilingCommand, state: FilingState): FilingEvent[] {
  const { actor } = command;
  switch (command.type) {
    case 'SubmitFiling': {
      requireRole(actor, ['platform'], 'submit a filing');
      requireStatus(state, ['not_submitted'], 'submitting');
      if (!actor.platformId)
        throw new FilingDomainError('forbidden_role', 'a platform actor needs a platformId');
      const form = validForm(command.form, command.submittedOn);
      const province = provinceOf(form);
      return [
        {
          type: 'FilingSubmitted',
          data: {
            filingId: command.filingId,
            platformId: actor.platformId,
            province,
            serviceType: form.serviceType,
            appName: form.app.name,
            form,
          },
        },
      ];
    }
    case 'StartPlatformReview': {
      requireRole(actor, ['system'], 'start a review');
      const s = requireStatus(state, ['submitted'], 'starting platform review');
      return [
        {
          type: 'PlatformReviewStarted',
          data: { ...reviewDeadline(command.deadline), round: s.platformReviewRound + 1 },
        },
      ];
    }
    case 'FlagPlatformReviewOverdue': {
      requireRole(actor, ['system'], 'flag a review overdue');
      const s = requireStatus(state, ['platform_review'], 'flagging platform review overdue');
      return s.review.overdue ? [] : [{ type: 'PlatformReviewOverdue', data: { dueAt: s.review.dueAt } }];
    }
    case 'ReviewAsPlatform': {
      requireRole(actor, ['platform'], 'decide a platform review');
      requireScope(actor, submittedState(state, 'a platform review decision'));
      requireStatus(state, ['platform_review'], `a platform review decision (${command.decision})`);
      const decision = command.decision;
      switch (decision) {
        case 'approve':
          return [
            { type: 'PlatformReviewApproved', data: withReasons(reasons(command.reasons, false, 'approve')) },
          ];
        case 'reject':
          return [
            {
              type: 'PlatformReviewRejected',
              data: { reasons: reasons(command.reasons, true, 'reject') ?? '' },
            },
          ];
        case 'return':
          return [
            {
              type: 'FilingReturnedForCorrection',
              data: { reasons: reasons(command.reasons, true, 'return') ?? '' },
            },
          ];
        default:
          return assertNever(decision, 'platform decision');
      }
    }
    case 'CorrectFiling': {
      requireRole(actor, ['platform'], 'correct a filing');
      const s = submittedState(state, 'a correction');
      requireScope(actor, s);
      requireStatus(state, ['returned_for_correction'], 'a correction');
      const form = validForm(command.form, command.correctedOn);
      if (provinceOf(form) !== s.province || form.serviceType !== s.serviceType) {
        throw new FilingDomainError(
          'invalid_command',
          'a correction may not change the province or the service type',
          {
            field: 'form',
            rule: 'immutable_on_correction',
          },
        );
      }
      return [{ type: 'FilingCorrected', data: { form, appName: form.app.name } }];
    }
    case 'RecordSmsSent': {
      requireRole(actor, ['system'], 'record an SMS');
      const s = requireStatus(state, ['platform_approved'], 'sending the verification SMS');
      return [
        {
          type: 'SmsVerificationSent',
          data: { challengeId: command.challengeId, round: s.smsRound + 1, expiresAt: command.expiresAt },
        },
      ];
    }
    case 'RecordSmsCheck': {
      requireRole(actor, ['applicant'], 'verify an SMS code');
      const s = requireStatus(state, ['sms_verification'], 'an SMS verification');
      if (command.challengeId !== s.challengeId) throw wrongStage(state, 'a code for an earlier SMS');
      const outcome = command.outcome;
      switch (outcome) {
        case 'match':
          return [{ type: 'SmsVerified', data: { challengeId: s.challengeId } }];
        case 'expired':
          return expireSms(s.challengeId, s.expiresAt);
        case 'mismatch': {
          const failedAttempts = s.failedAttempts + 1;
          const attemptsLeft = Math.max(0, MAX_SMS_FAILED_ATTEMPTS - failedAttempts);
          const failed: FilingEvent = {
            type: 'SmsVerificationFailed',
            data: { challengeId: s.challengeId, failedAttempts, attemptsLeft },
          };
          return attemptsLeft > 0
            ? [failed]
            : [failed, { type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } }];
        }
        default:
          return assertNever(outcome, 'SMS check outcome');
      }
    }
    case 'ExpireSmsChallenge': {
      requireRole(actor, ['system'], 'expire an SMS');
      const s = requireStatus(state, ['sms_verification'], 'expiring the SMS window');
      if (command.challengeId !== s.challengeId) return [];
      return expireSms(s.challengeId, s.expiresAt);
    }
    case 'ResubmitFiling': {
      requireRole(actor, ['platform'], 'resubmit a filing');
      requireScope(actor, submittedState(state, 'a resubmission'));
      requireStatus(state, ['returned_to_platform'], 'a resubmission');
      return [{ type: 'FilingResubmitted', data: withReasons(reasons(command.reasons, false, 'resubmit')) }];
    }
    case 'StartBureauReview': {
      requireRole(actor, ['system'], 'start a review');
      const s = requireStatus(state, ['sms_verified'], 'starting bureau review');
      return [
        { type: 'BureauReviewStarted', data: { ...reviewDeadline(command.deadline), province: s.province } },
      ];
    }
    case 'FlagBureauReviewOverdue': {
      requireRole(actor, ['system'], 'flag a review overdue');
      const s = requireStatus(state, ['bureau_review'], 'flagging bureau review overdue');
      return s.review.overdue ? [] : [{ type: 'BureauReviewOverdue', data: { dueAt: s.review.dueAt } }];
    }
    case 'ReviewAsBureau': {
      requireRole(actor, ['bureau'], 'decide a bureau review');
      requireScope(actor, submittedState(state, 'a bureau review decision'));
      requireStatus(state, ['bureau_review'], `a bureau review decision (${command.decision})`);
      const decision = command.decision;
      switch (decision) {
        case 'approve':
          return [
            { type: 'BureauReviewApproved', data: withReasons(reasons(command.reasons, false, 'approve')) },
          ];
        case 'reject':
          return [
            {
              type: 'BureauReviewRejected',
              data: { reasons: reasons(command.reasons, true, 'reject') ?? '' },
            },
          ];
        default:
          return assertNever(decision, 'bureau decision');
      }
    }
    case 'IssueRegistrationNumber': {
      requireRole(actor, ['system'], 'issue a number');
      requireStatus(state, ['bureau_approved'], 'issuing a registration number');
      return [
        {
          type: 'RegistrationNumberIssued',
          data: { subjectNumber: command.subjectNumber, serviceNumber: command.serviceNumber },
        },
      ];
    }
    case 'PublishRegistration': {
      requireRole(actor, ['system'], 'publish a registration');
      const s = requireStatus(state, ['registered'], 'publishing the registration');
      return [
        {
          type: 'RegistrationPublished',
          data: {
            registrationNumber: s.serviceNumber,
            appName: s.appName,
            serviceType: s.serviceType,
            operatorName: s.form.operator?.name ?? s.subjectNumber,
            province: s.province,
          },
        },
      ];
    }
    case 'NotifyApplicant': {
      requireRole(actor, ['system'], 'notify the applicant');
      requireStatus(state, ['published'], 'notifying the applicant');
      return [{ type: 'ApplicantNotified', data: { channels: command.channels } }];
    }
    case 'WithdrawFiling': {
      requireRole(actor, ['platform'], 'withdraw a filing');
      requireScope(actor, submittedState(state, 'a withdrawal'));
      requireStatus(state, WITHDRAWABLE, 'a withdrawal');
      return [{ type: 'FilingWithdrawn', data: withReasons(reasons(command.reasons, false, 'withdraw')) }];
    }
    default:
      return assertNever(command, 'filing command');
  }
}

function provinceOf(form: RegistrationForm): ProvinceCode {
  const code = domicileProvinceOf(form).code;
  if (!isProvinceCode(code))
    throw new FilingDomainError('invalid_command', 'the form names no known province');
  return code;
}

/** The deadline as recorded: exactly its three fields, with an allowance a deadline can be counted with. */
function reviewDeadline(deadline: ReviewDeadline): ReviewDeadline {
  const { dueAt, provisional, workingDays } = deadline;
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new FilingDomainError(
      'invalid_command',
      `working days must be a positive integer, got ${workingDays}`,
      {
        field: 'deadline.workingDays',
        rule: 'positive_integer',
      },
    );
  }
  return { dueAt, provisional, workingDays };
}

function withReasons(text: string | undefined): { reasons?: string } {
  return text ? { reasons: text } : {};
}

function expireSms(challengeId: string, expiresAt: string): FilingEvent[] {
  return [
    { type: 'SmsVerificationExpired', data: { challengeId, expiresAt } },
    { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
  ];
}
