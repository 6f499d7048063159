import { assertNever } from '../../assert-never';
import type { Decider, EventRecordedBy } from '../command-rules';
import { type FilingState, MAX_SMS_FAILED_ATTEMPTS } from '../filing-state';
import type { SmsResendTrigger } from '../sms-resend';
import { FilingDomainError } from '../filing-errors';
import { stageOf } from '../transitions';
import { requireScope, requireStatus, submittedState, wrongStage } from './guards';

export const decideRecordSmsSent: Decider<'RecordSmsSent'> = (command, state) => {
  const approved = requireStatus(state, ['platform_approved'], 'sending the verification SMS');
  return [
    {
      type: 'SmsVerificationSent',
      data: { challengeId: command.challengeId, round: approved.smsRound + 1, expiresAt: command.expiresAt },
    },
  ];
};

/** The applicant's code, as the verification activity found it against the challenge. */
export const decideRecordSmsCheck: Decider<'RecordSmsCheck'> = (command, state) => {
  const waiting = requireStatus(state, ['sms_verification'], 'an SMS verification');
  if (command.challengeId !== waiting.challengeId) throw wrongStage(state, 'a code for an earlier SMS');
  const outcome = command.outcome;
  switch (outcome) {
    case 'match':
      return [{ type: 'SmsVerified', data: { challengeId: waiting.challengeId } }];
    case 'expired':
      return expireSms(waiting.challengeId, waiting.expiresAt);
    case 'mismatch':
      return failSms(waiting.challengeId, waiting.failedAttempts + 1);
    default:
      return assertNever(outcome, 'SMS check outcome');
  }
};

/**
 * A new code for the round, each trigger once per round and only while the window is open: the
 * code before it is dead from then on (answers are checked against the current challenge only).
 */
function resendSms(
  command: { challengeId: string; at: string },
  state: FilingState,
  trigger: SmsResendTrigger,
): EventRecordedBy<'RequestSmsResend'>[] {
  const waiting = requireStatus(state, ['sms_verification'], 'an SMS resend');
  if (waiting.resends?.includes(trigger)) {
    throw new FilingDomainError('wrong_stage', `this SMS round's ${trigger} resend was already sent`, {
      status: waiting.status,
      stage: stageOf(waiting.status),
      rule: 'resend_used',
    });
  }
  if (!(Date.parse(command.at) < Date.parse(waiting.expiresAt))) {
    throw new FilingDomainError('wrong_stage', 'the SMS window has closed; no code can be resent', {
      status: waiting.status,
      stage: stageOf(waiting.status),
      rule: 'sms_window_closed',
    });
  }
  if (command.challengeId === waiting.challengeId) {
    throw new FilingDomainError('invalid_command', 'a resend needs a new challenge', {
      field: 'challengeId',
      rule: 'not_new',
    });
  }
  return [
    {
      type: 'SmsVerificationResent',
      data: {
        challengeId: command.challengeId,
        previousChallengeId: waiting.challengeId,
        trigger,
        expiresAt: waiting.expiresAt,
      },
    },
  ];
}

/** The platform asks for the code again (once per round). */
export const decideRequestSmsResend: Decider<'RequestSmsResend'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'an SMS resend'));
  return resendSms(command, state, 'requested');
};

/** The process sends the code again at noon the next day (once per round). */
export const decideSendScheduledSmsResend: Decider<'SendScheduledSmsResend'> = (command, state) =>
  resendSms(command, state, 'scheduled');

/** The window closed; a timer for a challenge a resubmission replaced changes nothing. */
export const decideExpireSmsChallenge: Decider<'ExpireSmsChallenge'> = (command, state) => {
  const waiting = requireStatus(state, ['sms_verification'], 'expiring the SMS window');
  if (command.challengeId !== waiting.challengeId) return [];
  return expireSms(waiting.challengeId, waiting.expiresAt);
};

function failSms(challengeId: string, failedAttempts: number): EventRecordedBy<'RecordSmsCheck'>[] {
  const attemptsLeft = Math.max(0, MAX_SMS_FAILED_ATTEMPTS - failedAttempts);
  const failed = {
    type: 'SmsVerificationFailed',
    data: { challengeId, failedAttempts, attemptsLeft },
  } as const;
  return attemptsLeft > 0
    ? [failed]
    : [failed, { type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } }];
}

function expireSms(challengeId: string, expiresAt: string): EventRecordedBy<'ExpireSmsChallenge'>[] {
  return [
    { type: 'SmsVerificationExpired', data: { challengeId, expiresAt } },
    { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
  ];
}
