import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { validateRegistrationForm } from '../form/validate-form';
import { type Actor, type ActorRole, SYSTEM_ACTOR } from './actor';
import { decide } from './decide';
import {
  BUREAU_REVIEW_DUE,
  FIRST_CHALLENGE,
  historiesByStatus,
  PLATFORM_REVIEW_DUE,
  SERVICE_NUMBER,
  SMS_EXPIRES_AT,
  stateAfter,
  SUBJECT_NUMBER,
} from '../../test/support/decider-spec';
import { EVENT_RECORDER_ROLES } from './event-actors';
import type { FilingCommand } from './filing-commands';
import { FilingDomainError } from './filing-errors';
import type { FilingEventOf } from './filing-events';

const validated = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: '2026-11-30' });
if (!validated.ok) throw new Error('valid-app fixture does not validate');
const form = validated.value;
const SUBMITTED: FilingEventOf<'FilingSubmitted'> = {
  type: 'FilingSubmitted',
  data: {
    filingId: 'f-1',
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form,
  },
};

const ACTORS: Record<ActorRole, Actor> = {
  platform: { role: 'platform', id: 'p-1', platformId: 'wechat' },
  bureau: { role: 'bureau', id: 'b-1', province: '440000' },
  applicant: { role: 'applicant', id: 'public' },
  auditor: { role: 'auditor', id: 'a-1' },
  admin: { role: 'admin', id: 'x-1' },
  system: SYSTEM_ACTOR,
};

/** Every command shape, for the actor given. */
function commands(actor: Actor): FilingCommand[] {
  return [
    {
      type: 'SubmitFiling',
      actor,
      filingId: 'f-1',
      form: loadValidForm('valid-app'),
      submittedOn: '2026-11-30',
    },
    { type: 'StartPlatformReview', actor, deadline: PLATFORM_REVIEW_DUE },
    { type: 'FlagPlatformReviewOverdue', actor },
    ...(['approve', 'reject', 'return'] as const).map((decision): FilingCommand => ({
      type: 'ReviewAsPlatform',
      actor,
      decision,
      reasons: '理由',
    })),
    { type: 'CorrectFiling', actor, form: loadValidForm('valid-app'), correctedOn: '2026-11-30' },
    { type: 'RecordSmsSent', actor, challengeId: FIRST_CHALLENGE, expiresAt: SMS_EXPIRES_AT },
    ...(['match', 'mismatch', 'expired'] as const).map((outcome): FilingCommand => ({
      type: 'RecordSmsCheck',
      actor,
      challengeId: FIRST_CHALLENGE,
      outcome,
    })),
    { type: 'ExpireSmsChallenge', actor, challengeId: FIRST_CHALLENGE },
    { type: 'ResubmitFiling', actor },
    { type: 'StartBureauReview', actor, deadline: BUREAU_REVIEW_DUE },
    { type: 'FlagBureauReviewOverdue', actor },
    ...(['approve', 'reject'] as const).map((decision): FilingCommand => ({
      type: 'ReviewAsBureau',
      actor,
      decision,
      reasons: '理由',
    })),
    { type: 'IssueRegistrationNumber', actor, subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    { type: 'PublishRegistration', actor },
    { type: 'NotifyApplicant', actor, channels: ['sms'] },
    { type: 'WithdrawFiling', actor },
  ];
}

describe('who may record each event', () => {
  it('lists exactly the roles whose commands decide turns into that event, in any state', () => {
    const produced = new Set<string>();
    const histories = Object.values(historiesByStatus(SUBMITTED));
    // Four wrong codes before the fifth, which returns the filing to the platform.
    const smsHistory = historiesByStatus(SUBMITTED).sms_verification;
    const failed = (n: number): FilingEventOf<'SmsVerificationFailed'> => ({
      type: 'SmsVerificationFailed',
      data: { challengeId: FIRST_CHALLENGE, failedAttempts: n, attemptsLeft: 5 - n },
    });
    histories.push([...smsHistory, failed(1), failed(2), failed(3), failed(4)]);
    for (const history of [[], ...histories]) {
      const state = stateAfter(...history);
      for (const actor of Object.values(ACTORS)) {
        for (const command of commands(actor)) {
          try {
            for (const event of decide(command, state)) produced.add(`${event.type}:${actor.role}`);
          } catch (error) {
            if (!(error instanceof FilingDomainError)) throw error;
          }
        }
      }
    }
    const declared = Object.entries(EVENT_RECORDER_ROLES).flatMap(([type, roles]) =>
      roles.map((role) => `${type}:${role}`),
    );
    expect([...produced].sort()).toEqual(declared.sort());
  });
});
