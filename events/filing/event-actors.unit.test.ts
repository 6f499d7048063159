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
import { FILING_COMMAND_RULES } from './command-rules';
import { EVENT_RECORDER_ROLES } from './event-actors';
import type { FilingCommand, FilingCommandType } from './filing-commands';
import { FilingDomainError } from './filing-errors';
import type { FilingEvent, FilingEventOf, FilingEventType } from './filing-events';
import type { FilingState } from './filing-state';

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
  isp: { role: 'isp', id: 'i-1', ispName: '阿里云' },
  store: { role: 'store', id: 'store-1', org: 'huawei-appgallery' },
  device_maker: { role: 'device_maker', id: 'maker-1', org: 'xiaomi' },
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
    ...(['RequestSmsResend', 'SendScheduledSmsResend'] as const).map((type): FilingCommand => ({
      type,
      actor,
      challengeId: `${FIRST_CHALLENGE}:1`,
      at: '2026-12-01T00:00:00.000Z',
    })),
    { type: 'ResubmitFiling', actor },
    { type: 'StartBureauReview', actor, deadline: BUREAU_REVIEW_DUE },
    { type: 'FlagBureauReviewOverdue', actor },
    ...(['approve', 'reject', 'return'] as const).map((decision): FilingCommand => ({
      type: 'ReviewAsBureau',
      actor,
      decision,
      reasons: '理由',
      ...(decision === 'return' && { fieldReasons: [{ path: 'app.name', problem: '名称不符' }] }),
    })),
    { type: 'IssueRegistrationNumber', actor, subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    { type: 'RefuseRegistrationNumber', actor, refusal: 'subject_not_registered', reasons: '理由' },
    { type: 'ApplyToRegistry', actor, subjectNumber: SUBJECT_NUMBER, serviceNumbers: [SERVICE_NUMBER] },
    { type: 'PublishRegistration', actor },
    { type: 'NotifyApplicant', actor, channels: ['sms'] },
    { type: 'WithdrawFiling', actor },
  ];
}

/** Every state decide can be asked in: one per status, and four wrong codes before the fifth. */
function everyState(): FilingState[] {
  const histories = Object.values(historiesByStatus(SUBMITTED));
  const failed = (n: number): FilingEventOf<'SmsVerificationFailed'> => ({
    type: 'SmsVerificationFailed',
    data: { challengeId: FIRST_CHALLENGE, failedAttempts: n, attemptsLeft: 5 - n },
  });
  const smsHistory = historiesByStatus(SUBMITTED).sms_verification;
  histories.push([...smsHistory, failed(1), failed(2), failed(3), failed(4)]);
  // A change filing once the bureau approved it: what ApplyToRegistry is decided on.
  const target = { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER };
  const change = { ...SUBMITTED, data: { ...SUBMITTED.data, kind: 'new_access' as const, target } };
  histories.push(historiesByStatus(change).bureau_approved);
  return [[], ...histories].map((history) => stateAfter(...history));
}

interface Outcome {
  command: FilingCommand;
  role: ActorRole;
  produced?: FilingEvent[];
  refused?: FilingDomainError;
}

/** What decide does with every command shape, by every role, in every state. */
function everyOutcome(): Outcome[] {
  return everyState().flatMap((state) =>
    Object.values(ACTORS).flatMap((actor) =>
      commands(actor).map((command): Outcome => {
        try {
          return { command, role: actor.role, produced: decide(command, state) };
        } catch (error) {
          if (!(error instanceof FilingDomainError)) throw error;
          return { command, role: actor.role, refused: error };
        }
      }),
    ),
  );
}

const OUTCOMES = everyOutcome();

describe('who may record each event', () => {
  it('lists exactly the roles whose commands decide turns into that event, in any state', () => {
    const produced = new Set<string>();
    for (const { role, produced: events = [] } of OUTCOMES) {
      for (const event of events) produced.add(`${event.type}:${role}`);
    }
    const declared = Object.entries(EVENT_RECORDER_ROLES).flatMap(([type, roles]) =>
      roles.map((role) => `${type}:${role}`),
    );
    expect([...produced].sort()).toEqual(declared.sort());
  });

  it('names the applicant before the system for the expiry both may record', () => {
    expect(EVENT_RECORDER_ROLES.SmsVerificationExpired).toEqual(['applicant', 'system']);
    expect(EVENT_RECORDER_ROLES.FilingReturnedToPlatform).toEqual(['applicant', 'system']);
  });
});

describe('the per-command table', () => {
  it('is the reason decide refuses every role it does not list, whatever the state', () => {
    const outsiders = OUTCOMES.filter(
      ({ command, role }) =>
        !(FILING_COMMAND_RULES[command.type].roles as readonly ActorRole[]).includes(role),
    );
    expect(outsiders.length).toBeGreaterThan(0);
    for (const { command, role, refused } of outsiders) {
      expect({ code: refused?.code, message: refused?.message }).toEqual({
        code: 'forbidden_role',
        message: `role ${role} may not ${FILING_COMMAND_RULES[command.type].action}`,
      });
    }
  });

  it('lets every role it lists past the role check', () => {
    const listed = OUTCOMES.filter(({ command, role }) =>
      (FILING_COMMAND_RULES[command.type].roles as readonly ActorRole[]).includes(role),
    );
    expect(listed.filter(({ refused }) => refused?.code === 'forbidden_role')).toEqual([]);
    expect(listed.filter(({ produced }) => produced !== undefined).length).toBeGreaterThan(0);
  });

  it('lists exactly the events each command records in some state', () => {
    const recorded = new Map<FilingCommandType, Set<FilingEventType>>();
    for (const { command, produced = [] } of OUTCOMES) {
      const types = recorded.get(command.type) ?? new Set<FilingEventType>();
      for (const event of produced) types.add(event.type);
      recorded.set(command.type, types);
    }
    for (const [type, rule] of Object.entries(FILING_COMMAND_RULES)) {
      expect({ type, records: [...(recorded.get(type as FilingCommandType) ?? [])].sort() }).toEqual({
        type,
        records: [...rule.records].sort(),
      });
    }
  });
});
