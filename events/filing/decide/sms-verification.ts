import { assertNever } from '../../assert-never';
import type { Decider, EventRecordedBy } from '../command-rules';
import { MAX_SMS_FAILED_ATTEMPTS } from '../filing-state';
import { requireStatus, wrongStage } from './guards';

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
