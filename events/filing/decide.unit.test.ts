import { loadValidForm, type ValidFormFixture } from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import { type Actor, type ActorRole, SYSTEM_ACTOR } from './actor';
import { decide } from './decide';
import {
  BUREAU_REVIEW_DUE,
  FIRST_CHALLENGE,
  given,
  historiesByStatus,
  PLATFORM_REVIEW_DUE,
  SERVICE_NUMBER,
  SMS_EXPIRES_AT,
  stateAfter,
  SUBJECT_NUMBER,
} from '../../test/support/decider-spec';
import type { FilingCommand, FilingCommandType } from './filing-commands';
import type { FieldReason, FilingEvent, FilingEventOf } from './filing-events';
import type { FilingStatus } from './filing-state';
import { withdrawalRulesDiffer } from './decide/submission';

const SUBMITTED_ON = '2026-11-30';
const FILING_ID = 'filing-0001';

const PLATFORM: Actor = { role: 'platform', id: 'reviewer-7', platformId: 'wechat' };
const OTHER_PLATFORM: Actor = { role: 'platform', id: 'reviewer-9', platformId: 'alipay' };
const GUANGDONG_BUREAU: Actor = { role: 'bureau', id: 'officer-gd', province: '440000' };
const BEIJING_BUREAU: Actor = { role: 'bureau', id: 'officer-bj', province: '110000' };
const APPLICANT: Actor = { role: 'applicant', id: 'public' };
const SYSTEM = SYSTEM_ACTOR;
const ACTOR_OF_ROLE: Record<ActorRole, Actor> = {
  platform: PLATFORM,
  bureau: GUANGDONG_BUREAU,
  applicant: APPLICANT,
  auditor: { role: 'auditor', id: 'auditor-1' },
  admin: { role: 'admin', id: 'admin-1' },
  system: SYSTEM,
  isp: { role: 'isp', id: 'isp-1', ispName: '阿里云' },
  store: { role: 'store', id: 'store-1', org: 'huawei-appgallery' },
  device_maker: { role: 'device_maker', id: 'maker-1', org: 'xiaomi' },
};
const ROLES = Object.keys(ACTOR_OF_ROLE) as ActorRole[];

/** A fixture form as it looks once validated, optionally changed first. */
function validatedForm(
  name: ValidFormFixture,
  change?: (form: Record<string, unknown>) => void,
): RegistrationForm {
  const input = loadValidForm(name);
  change?.(input);
  const result = validateRegistrationForm(input, { submittedOn: SUBMITTED_ON });
  if (!result.ok) throw new Error(`fixture ${name} does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

function section(form: Record<string, unknown>, key: string): Record<string, unknown> {
  return form[key] as Record<string, unknown>;
}

const appForm = validatedForm('valid-app');

const SUBMITTED: FilingEventOf<'FilingSubmitted'> = {
  type: 'FilingSubmitted',
  data: {
    filingId: FILING_ID,
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form: appForm,
  },
};
const AT = historiesByStatus(SUBMITTED);

const REVIEW_STARTED_ROUND_1: FilingEvent = {
  type: 'PlatformReviewStarted',
  data: { ...PLATFORM_REVIEW_DUE, round: 1 },
};
const RETURNED: FilingEvent = {
  type: 'FilingReturnedForCorrection',
  data: { reasons: '应用服务内容与截图不符' },
};
const RETURNED_TO_PLATFORM_EXPIRED: FilingEvent[] = [
  { type: 'SmsVerificationExpired', data: { challengeId: FIRST_CHALLENGE, expiresAt: SMS_EXPIRES_AT } },
  { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
];

const smsFailed = (failedAttempts: number, challengeId = FIRST_CHALLENGE): FilingEvent => ({
  type: 'SmsVerificationFailed',
  data: { challengeId, failedAttempts, attemptsLeft: 5 - failedAttempts },
});

const submit = (form: unknown, actor: Actor = PLATFORM): FilingCommand => ({
  type: 'SubmitFiling',
  actor,
  filingId: FILING_ID,
  form,
  submittedOn: SUBMITTED_ON,
});
const reviewAsPlatform = (
  decision: 'approve' | 'reject' | 'return',
  reasons?: string,
  actor: Actor = PLATFORM,
): FilingCommand => ({ type: 'ReviewAsPlatform', actor, decision, reasons });
const reviewAsBureau = (
  decision: 'approve' | 'reject' | 'return',
  reasons?: string,
  actor: Actor = GUANGDONG_BUREAU,
  fieldReasons?: FieldReason[],
): FilingCommand => ({ type: 'ReviewAsBureau', actor, decision, reasons, fieldReasons });
const PACKAGE_NAME_REASON: FieldReason = {
  path: 'app.platforms.0.packageName',
  problem: '包名与安装包不一致',
  suggestion: '按安装包中的包名填写',
};
const correct = (form: unknown, actor: Actor = PLATFORM): FilingCommand => ({
  type: 'CorrectFiling',
  actor,
  form,
  correctedOn: '2026-12-01',
});
const smsCheck = (
  outcome: 'match' | 'mismatch' | 'expired',
  challengeId = FIRST_CHALLENGE,
): FilingCommand => ({ type: 'RecordSmsCheck', actor: APPLICANT, challengeId, outcome });
/** Before the window of the first SMS round closes (SMS_EXPIRES_AT). */
const BEFORE_EXPIRY = '2026-12-02T02:00:00.000Z';
const resend = (
  trigger: 'requested' | 'scheduled',
  actor: Actor = trigger === 'requested' ? PLATFORM : SYSTEM,
  challengeId = `${FIRST_CHALLENGE}:1`,
  at = BEFORE_EXPIRY,
): FilingCommand => ({
  type: trigger === 'requested' ? 'RequestSmsResend' : 'SendScheduledSmsResend',
  actor,
  challengeId,
  at,
});
const resent = (
  trigger: 'requested' | 'scheduled',
  challengeId = `${FIRST_CHALLENGE}:1`,
  previousChallengeId = FIRST_CHALLENGE,
): FilingEvent => ({
  type: 'SmsVerificationResent',
  data: { challengeId, previousChallengeId, trigger, expiresAt: SMS_EXPIRES_AT },
});
const withdraw = (actor: Actor = PLATFORM, reasons?: string): FilingCommand => ({
  type: 'WithdrawFiling',
  actor,
  reasons,
});

describe('SubmitFiling', () => {
  it('records a valid app form with the operator’s province, the service type and the app name', () => {
    given()
      .when(submit(loadValidForm('valid-app')))
      .then(SUBMITTED);
  });

  it('routes a mini program of an individual to the individual’s province', () => {
    const form = validatedForm('valid-mini-program');
    given()
      .when(submit(loadValidForm('valid-mini-program')))
      .then({
        type: 'FilingSubmitted',
        data: {
          filingId: FILING_ID,
          platformId: 'wechat',
          province: '510000',
          serviceType: 'mini_program',
          appName: '示例读书笔记',
          form,
        },
      });
  });

  it('routes a holder of an existing subject number to the province that issued it', () => {
    const form = validatedForm('valid-existing-subject');
    given()
      .when(submit(loadValidForm('valid-existing-subject')))
      .then({
        type: 'FilingSubmitted',
        data: {
          filingId: FILING_ID,
          platformId: 'wechat',
          province: '310000',
          serviceType: 'app',
          appName: '示例课堂',
          form,
        },
      });
  });

  it('refuses an invalid form, naming the first broken field', () => {
    const form = loadValidForm('valid-app');
    delete section(form, 'appPrincipal').mobile;
    given()
      .when(submit(form))
      .thenThrows('invalid_command', { field: 'form.appPrincipal.mobile', rule: 'required' });
  });

  it.each([null, 'not a form', [], {}])('refuses %j as a form', (form) => {
    given().when(submit(form)).thenThrows('invalid_command');
  });

  it.each(ROLES.filter((role) => role !== 'platform'))('refuses a submission by role %s', (role) => {
    given()
      .when(submit(loadValidForm('valid-app'), ACTOR_OF_ROLE[role]))
      .thenThrows('forbidden_role');
  });

  it('refuses a platform actor that names no platform', () => {
    given()
      .when(submit(loadValidForm('valid-app'), { role: 'platform', id: 'reviewer-7' }))
      .thenThrows('forbidden_role');
  });

  it('refuses to submit the same filing twice', () => {
    given(SUBMITTED)
      .when(submit(loadValidForm('valid-app')))
      .thenThrows('wrong_stage', { status: 'submitted', stage: 'platform_review' });
  });
});

describe('StartPlatformReview', () => {
  const start: FilingCommand = { type: 'StartPlatformReview', actor: SYSTEM, deadline: PLATFORM_REVIEW_DUE };

  it('starts round 1 with the computed deadline', () => {
    given(SUBMITTED).when(start).then(REVIEW_STARTED_ROUND_1);
  });

  it('starts round 2 after a correction', () => {
    const corrected: FilingEvent = { type: 'FilingCorrected', data: { form: appForm, appName: '示例记账' } };
    given(SUBMITTED, REVIEW_STARTED_ROUND_1, RETURNED, corrected)
      .when({
        type: 'StartPlatformReview',
        actor: SYSTEM,
        deadline: { dueAt: '2026-12-04T16:00:00.000Z', provisional: true, workingDays: 2 },
      })
      .then({
        type: 'PlatformReviewStarted',
        data: { dueAt: '2026-12-04T16:00:00.000Z', provisional: true, workingDays: 2, round: 2 },
      });
  });

  it('records the working days the deadline was computed with, and only the deadline’s fields', () => {
    const deadline = { dueAt: '2026-12-04T16:00:00.000Z', provisional: false, workingDays: 1, extra: 'x' };
    given(SUBMITTED)
      .when({ type: 'StartPlatformReview', actor: SYSTEM, deadline })
      .then({
        type: 'PlatformReviewStarted',
        data: { dueAt: '2026-12-04T16:00:00.000Z', provisional: false, workingDays: 1, round: 1 },
      });
  });

  it.each([0, -2, 1.5, Number.NaN])('refuses an allowance of %p working days', (workingDays) => {
    given(SUBMITTED)
      .when({ ...start, deadline: { ...PLATFORM_REVIEW_DUE, workingDays } })
      .thenThrows('invalid_command', { field: 'deadline.workingDays', rule: 'positive_integer' });
  });

  it('refuses to start a review that is already running', () => {
    given(...AT.platform_review)
      .when(start)
      .thenThrows('wrong_stage');
  });

  it('is for the workflow only', () => {
    given(SUBMITTED)
      .when({ ...start, actor: PLATFORM })
      .thenThrows('forbidden_role');
  });
});

describe('ReviewAsPlatform', () => {
  it('approves, with or without a comment (trimmed)', () => {
    given(...AT.platform_review)
      .when(reviewAsPlatform('approve'))
      .then({ type: 'PlatformReviewApproved', data: {} });
    given(...AT.platform_review)
      .when(reviewAsPlatform('approve', '  资料齐全  '))
      .then({ type: 'PlatformReviewApproved', data: { reasons: '资料齐全' } });
    given(...AT.platform_review)
      .when(reviewAsPlatform('approve', '   '))
      .then({ type: 'PlatformReviewApproved', data: {} });
  });

  it('rejects with the reasons given', () => {
    given(...AT.platform_review)
      .when(reviewAsPlatform('reject', ' 应用涉及未获批的互联网金融业务 '))
      .then({ type: 'PlatformReviewRejected', data: { reasons: '应用涉及未获批的互联网金融业务' } });
  });

  it('returns for correction with the reasons given', () => {
    given(...AT.platform_review)
      .when(reviewAsPlatform('return', '应用服务内容与截图不符'))
      .then(RETURNED);
  });

  it.each([
    ['return', 'FilingReturnedForCorrection'],
    ['reject', 'PlatformReviewRejected'],
  ] as const)('may %s with per-field reasons beside the explanation', (decision, type) => {
    given(...AT.platform_review)
      .when({
        type: 'ReviewAsPlatform',
        actor: PLATFORM,
        decision,
        reasons: '请修改',
        fieldReasons: [PACKAGE_NAME_REASON],
      })
      .then({ type, data: { reasons: '请修改', fieldReasons: [PACKAGE_NAME_REASON] } });
  });

  it('refuses a per-field reason naming no field of the form', () => {
    given(...AT.platform_review)
      .when({
        type: 'ReviewAsPlatform',
        actor: PLATFORM,
        decision: 'return',
        reasons: '请修改',
        fieldReasons: [PACKAGE_NAME_REASON, { path: 'foo.bar', problem: '?' }],
      })
      .thenThrows('invalid_command', { field: 'fieldReasons.1.path', rule: 'unknown_form_field' });
  });

  it.each([
    ['reject', undefined],
    ['reject', ''],
    ['reject', ' \n\t '],
    ['return', undefined],
    ['return', '   '],
  ] as const)('refuses to %s without reasons (%j)', (decision, reasons) => {
    given(...AT.platform_review)
      .when(reviewAsPlatform(decision, reasons))
      .thenThrows('invalid_command', { field: 'reasons', rule: 'required' });
  });

  it.each(['approve', 'reject', 'return'] as const)(
    'refuses to %s with reasons over 2000 characters',
    (decision) => {
      given(...AT.platform_review)
        .when(reviewAsPlatform(decision, '理'.repeat(2001)))
        .thenThrows('invalid_command', { field: 'reasons', rule: 'too_long' });
    },
  );

  it('accepts reasons of exactly 2000 characters', () => {
    given(...AT.platform_review)
      .when(reviewAsPlatform('reject', '理'.repeat(2000)))
      .then({ type: 'PlatformReviewRejected', data: { reasons: '理'.repeat(2000) } });
  });

  it('treats another platform’s filing as out of scope', () => {
    given(...AT.platform_review)
      .when(reviewAsPlatform('approve', undefined, OTHER_PLATFORM))
      .thenThrows('out_of_scope');
  });

  it('refuses a bureau officer', () => {
    given(...AT.platform_review)
      .when({ type: 'ReviewAsPlatform', actor: GUANGDONG_BUREAU, decision: 'approve' })
      .thenThrows('forbidden_role');
  });

  it.each<FilingStatus>([
    'not_submitted',
    'submitted',
    'returned_for_correction',
    'platform_approved',
    'bureau_review',
  ])('refuses a decision in status %s', (status) => {
    given(...AT[status])
      .when(reviewAsPlatform('approve'))
      .thenThrows('wrong_stage', { status });
  });
});

describe('CorrectFiling', () => {
  const atReturned = AT.returned_for_correction;

  it('records the corrected form and its new app name', () => {
    const change = (form: Record<string, unknown>): void => {
      section(form, 'app').name = '示例记账本';
    };
    const input = loadValidForm('valid-app');
    change(input);
    given(...atReturned)
      .when(correct(input))
      .then({
        type: 'FilingCorrected',
        data: { form: validatedForm('valid-app', change), appName: '示例记账本' },
      });
  });

  it('refuses a correction that moves the filing to another province', () => {
    const form = loadValidForm('valid-app');
    section(form, 'operator').province = '110000';
    given(...atReturned)
      .when(correct(form))
      .thenThrows('invalid_command', { rule: 'immutable_on_correction' });
  });

  it('refuses a correction that turns an app into a mini program', () => {
    given(...atReturned)
      .when(correct(loadValidForm('valid-mini-program')))
      .thenThrows('invalid_command', { rule: 'immutable_on_correction' });
  });

  it('refuses a correction that changes the service type only', () => {
    const miniProgram = validatedForm('valid-mini-program');
    const submittedMiniProgram: FilingEvent = {
      type: 'FilingSubmitted',
      data: { ...SUBMITTED.data, province: '510000', serviceType: 'mini_program', form: miniProgram },
    };
    const appInSichuan = loadValidForm('valid-app');
    section(appInSichuan, 'operator').province = '510000';
    given(submittedMiniProgram, REVIEW_STARTED_ROUND_1, RETURNED)
      .when(correct(appInSichuan))
      .thenThrows('invalid_command', { rule: 'immutable_on_correction' });
  });

  it('refuses an invalid corrected form', () => {
    const form = loadValidForm('valid-app');
    section(form, 'app').name = '';
    given(...atReturned)
      .when(correct(form))
      .thenThrows('invalid_command');
  });

  it('records a correction after the SMS check expired (a new mobile for the app’s person in charge)', () => {
    const change = (form: Record<string, unknown>): void => {
      section(form, 'appPrincipal').mobile = '+8613600136000';
    };
    const input = loadValidForm('valid-app');
    change(input);
    given(...AT.returned_to_platform)
      .when(correct(input))
      .then({
        type: 'FilingCorrected',
        data: { form: validatedForm('valid-app', change), appName: '示例记账' },
      });
  });

  it('refuses a correction after the SMS check that moves the filing to another province', () => {
    const form = loadValidForm('valid-app');
    section(form, 'operator').province = '110000';
    given(...AT.returned_to_platform)
      .when(correct(form))
      .thenThrows('invalid_command', { rule: 'immutable_on_correction' });
  });

  it.each(['platform_approved', 'sms_verification', 'bureau_review'] as const)(
    'refuses a correction in status %s',
    (status) => {
      given(...AT[status])
        .when(correct(loadValidForm('valid-app')))
        .thenThrows('wrong_stage', { status });
    },
  );

  it('refuses a correction while the platform review runs', () => {
    given(...AT.platform_review)
      .when(correct(loadValidForm('valid-app')))
      .thenThrows('wrong_stage');
  });

  it('treats another platform’s filing as out of scope', () => {
    given(...atReturned)
      .when(correct(loadValidForm('valid-app'), OTHER_PLATFORM))
      .thenThrows('out_of_scope');
  });
});

describe('12381 SMS verification', () => {
  const atSms = AT.sms_verification;

  it('records the SMS sent for round 1', () => {
    given(...AT.platform_approved)
      .when({ type: 'RecordSmsSent', actor: SYSTEM, challengeId: 'c-1', expiresAt: SMS_EXPIRES_AT })
      .then({
        type: 'SmsVerificationSent',
        data: { challengeId: 'c-1', round: 1, expiresAt: SMS_EXPIRES_AT },
      });
  });

  it('refuses to send an SMS before the platform approved', () => {
    given(...AT.platform_review)
      .when({ type: 'RecordSmsSent', actor: SYSTEM, challengeId: 'c-1', expiresAt: SMS_EXPIRES_AT })
      .thenThrows('wrong_stage');
  });

  it('verifies a matching code', () => {
    given(...atSms)
      .when(smsCheck('match'))
      .then({ type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } });
  });

  it('counts the first four wrong codes down from 4 attempts left to 1', () => {
    const failures: FilingEvent[] = [];
    for (let failedAttempts = 1; failedAttempts <= 4; failedAttempts += 1) {
      given(...atSms, ...failures)
        .when(smsCheck('mismatch'))
        .then({
          type: 'SmsVerificationFailed',
          data: { challengeId: FIRST_CHALLENGE, failedAttempts, attemptsLeft: 5 - failedAttempts },
        });
      failures.push(smsFailed(failedAttempts));
    }
  });

  it('still accepts the right code after four wrong ones', () => {
    given(...atSms, smsFailed(1), smsFailed(2), smsFailed(3), smsFailed(4))
      .when(smsCheck('match'))
      .then({ type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } });
  });

  it('returns the filing to the platform at the fifth wrong code', () => {
    given(...atSms, smsFailed(1), smsFailed(2), smsFailed(3), smsFailed(4))
      .when(smsCheck('mismatch'))
      .then(
        {
          type: 'SmsVerificationFailed',
          data: { challengeId: FIRST_CHALLENGE, failedAttempts: 5, attemptsLeft: 0 },
        },
        { type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } },
      );
  });

  it('accepts no code at all once the attempts are exhausted', () => {
    given(...atSms, smsFailed(1), smsFailed(2), smsFailed(3), smsFailed(4), smsFailed(5), {
      type: 'FilingReturnedToPlatform',
      data: { reason: 'sms_attempts_exhausted' },
    })
      .when(smsCheck('match'))
      .thenThrows('wrong_stage', { status: 'returned_to_platform' });
  });

  it('returns the filing to the platform when the code has expired', () => {
    given(...atSms)
      .when(smsCheck('expired'))
      .then(...RETURNED_TO_PLATFORM_EXPIRED);
  });

  it('returns the filing to the platform when the 24-hour window closes', () => {
    given(...atSms, smsFailed(1))
      .when({ type: 'ExpireSmsChallenge', actor: SYSTEM, challengeId: FIRST_CHALLENGE })
      .then(...RETURNED_TO_PLATFORM_EXPIRED);
  });

  describe('after a resubmission sent a second SMS', () => {
    const secondRound: FilingEvent[] = [
      ...AT.returned_to_platform,
      { type: 'FilingResubmitted', data: {} },
      { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 2 } },
      { type: 'PlatformReviewApproved', data: {} },
    ];
    const atSecondSms: FilingEvent[] = [
      ...secondRound,
      {
        type: 'SmsVerificationSent',
        data: { challengeId: 'sms-challenge-2', round: 2, expiresAt: SMS_EXPIRES_AT },
      },
    ];

    it('numbers the new SMS round 2', () => {
      given(...secondRound)
        .when({
          type: 'RecordSmsSent',
          actor: SYSTEM,
          challengeId: 'sms-challenge-2',
          expiresAt: SMS_EXPIRES_AT,
        })
        .then({
          type: 'SmsVerificationSent',
          data: { challengeId: 'sms-challenge-2', round: 2, expiresAt: SMS_EXPIRES_AT },
        });
    });

    it('refuses a code for the earlier challenge', () => {
      given(...atSecondSms)
        .when(smsCheck('match', FIRST_CHALLENGE))
        .thenThrows('wrong_stage');
    });

    it('ignores the expiry of the earlier challenge', () => {
      given(...atSecondSms)
        .when({ type: 'ExpireSmsChallenge', actor: SYSTEM, challengeId: FIRST_CHALLENGE })
        .then();
    });

    it('gives the new challenge five fresh attempts', () => {
      given(...atSecondSms)
        .when(smsCheck('mismatch', 'sms-challenge-2'))
        .then(smsFailed(1, 'sms-challenge-2'));
    });
  });

  it.each(ROLES.filter((role) => role !== 'applicant'))(
    'takes codes only from the applicant, not %s',
    (role) => {
      given(...atSms)
        .when({
          type: 'RecordSmsCheck',
          actor: ACTOR_OF_ROLE[role],
          challengeId: FIRST_CHALLENGE,
          outcome: 'match',
        })
        .thenThrows('forbidden_role');
    },
  );

  it('refuses a code once verified', () => {
    given(...AT.sms_verified)
      .when(smsCheck('match'))
      .thenThrows('wrong_stage');
  });
});

describe('SMS resends', () => {
  const atSms = AT.sms_verification;

  it('sends a new code on the platform’s request, keeping the round’s window', () => {
    given(...atSms)
      .when(resend('requested'))
      .then(resent('requested'));
  });

  it('sends the scheduled resend as the system, once besides the requested one', () => {
    given(...atSms, resent('requested'))
      .when(resend('scheduled', SYSTEM, `${FIRST_CHALLENGE}:2`))
      .then(resent('scheduled', `${FIRST_CHALLENGE}:2`, `${FIRST_CHALLENGE}:1`));
  });

  it.each(['requested', 'scheduled'] as const)('refuses a second %s resend in one round', (trigger) => {
    given(...atSms, resent(trigger))
      .when(resend(trigger, undefined, `${FIRST_CHALLENGE}:2`))
      .thenThrows('wrong_stage', { rule: 'resend_used' });
  });

  it('refuses a resend once the window has closed', () => {
    given(...atSms)
      .when(resend('requested', PLATFORM, `${FIRST_CHALLENGE}:1`, SMS_EXPIRES_AT))
      .thenThrows('wrong_stage', { rule: 'sms_window_closed' });
  });

  it('pairs the trigger with its role: the platform requests, the process schedules', () => {
    given(...atSms)
      .when(resend('requested', SYSTEM))
      .thenThrows('forbidden_role');
    given(...atSms)
      .when(resend('scheduled', PLATFORM))
      .thenThrows('forbidden_role');
  });

  it('treats another platform’s filing as out of scope', () => {
    given(...atSms)
      .when(resend('requested', OTHER_PLATFORM))
      .thenThrows('out_of_scope');
  });

  it('needs a new challenge', () => {
    given(...atSms)
      .when(resend('requested', PLATFORM, FIRST_CHALLENGE))
      .thenThrows('invalid_command', { field: 'challengeId', rule: 'not_new' });
  });

  it.each(['platform_approved', 'returned_to_platform', 'sms_verified'] as const)(
    'refuses a resend in status %s',
    (status) => {
      given(...AT[status])
        .when(resend('requested'))
        .thenThrows('wrong_stage', { status });
    },
  );

  it('kills the code before: an answer to it is refused, the new one verifies', () => {
    given(...atSms, resent('requested'))
      .when(smsCheck('match', FIRST_CHALLENGE))
      .thenThrows('wrong_stage');
    given(...atSms, resent('requested'))
      .when(smsCheck('match', `${FIRST_CHALLENGE}:1`))
      .then({ type: 'SmsVerified', data: { challengeId: `${FIRST_CHALLENGE}:1` } });
  });

  it('keeps counting wrong answers across a resend', () => {
    given(...atSms, smsFailed(1), smsFailed(2), resent('requested'))
      .when(smsCheck('mismatch', `${FIRST_CHALLENGE}:1`))
      .then({
        type: 'SmsVerificationFailed',
        data: { challengeId: `${FIRST_CHALLENGE}:1`, failedAttempts: 3, attemptsLeft: 2 },
      });
  });

  it('expires the resent code at the round’s window; a timer for the code before changes nothing', () => {
    given(...atSms, resent('scheduled'))
      .when({ type: 'ExpireSmsChallenge', actor: SYSTEM, challengeId: FIRST_CHALLENGE })
      .then();
    given(...atSms, resent('scheduled'))
      .when({ type: 'ExpireSmsChallenge', actor: SYSTEM, challengeId: `${FIRST_CHALLENGE}:1` })
      .then(
        {
          type: 'SmsVerificationExpired',
          data: { challengeId: `${FIRST_CHALLENGE}:1`, expiresAt: SMS_EXPIRES_AT },
        },
        { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
      );
  });
});

describe('ResubmitFiling', () => {
  it('resubmits a filing the SMS step returned', () => {
    given(...AT.returned_to_platform)
      .when({ type: 'ResubmitFiling', actor: PLATFORM })
      .then({ type: 'FilingResubmitted', data: {} });
    given(...AT.returned_to_platform)
      .when({ type: 'ResubmitFiling', actor: PLATFORM, reasons: ' 负责人已更换手机号 ' })
      .then({ type: 'FilingResubmitted', data: { reasons: '负责人已更换手机号' } });
  });

  it('sends a resubmitted filing through platform review round 2', () => {
    given(...AT.returned_to_platform, { type: 'FilingResubmitted', data: {} })
      .when({ type: 'StartPlatformReview', actor: SYSTEM, deadline: PLATFORM_REVIEW_DUE })
      .then({ type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 2 } });
  });

  it.each<FilingStatus>([
    'not_submitted',
    'submitted',
    'platform_review',
    'returned_for_correction',
    'platform_approved',
    'sms_verification',
    'sms_verified',
    'bureau_review',
    'completed',
    'rejected',
    'withdrawn',
  ])('refuses a resubmission in status %s', (status) => {
    given(...AT[status])
      .when({ type: 'ResubmitFiling', actor: PLATFORM })
      .thenThrows('wrong_stage');
  });

  it('treats another platform’s filing as out of scope', () => {
    given(...AT.returned_to_platform)
      .when({ type: 'ResubmitFiling', actor: OTHER_PLATFORM })
      .thenThrows('out_of_scope');
  });
});

describe('overdue reviews', () => {
  const platformOverdue: FilingEvent = {
    type: 'PlatformReviewOverdue',
    data: { dueAt: PLATFORM_REVIEW_DUE.dueAt },
  };
  const bureauOverdue: FilingEvent = {
    type: 'BureauReviewOverdue',
    data: { dueAt: BUREAU_REVIEW_DUE.dueAt },
  };

  it('flags a platform review overdue once', () => {
    given(...AT.platform_review)
      .when({ type: 'FlagPlatformReviewOverdue', actor: SYSTEM })
      .then(platformOverdue);
    given(...AT.platform_review, platformOverdue)
      .when({ type: 'FlagPlatformReviewOverdue', actor: SYSTEM })
      .then();
  });

  it('lets an overdue platform review still be decided', () => {
    given(...AT.platform_review, platformOverdue)
      .when(reviewAsPlatform('approve'))
      .then({ type: 'PlatformReviewApproved', data: {} });
  });

  it('flags a bureau review overdue once', () => {
    given(...AT.bureau_review)
      .when({ type: 'FlagBureauReviewOverdue', actor: SYSTEM })
      .then(bureauOverdue);
    given(...AT.bureau_review, bureauOverdue)
      .when({ type: 'FlagBureauReviewOverdue', actor: SYSTEM })
      .then();
  });

  it('flags a new platform review round overdue again', () => {
    given(
      ...AT.platform_review,
      platformOverdue,
      RETURNED,
      { type: 'FilingCorrected', data: { form: appForm, appName: '示例记账' } },
      {
        type: 'PlatformReviewStarted',
        data: { dueAt: '2026-12-08T16:00:00.000Z', provisional: false, workingDays: 2, round: 2 },
      },
    )
      .when({ type: 'FlagPlatformReviewOverdue', actor: SYSTEM })
      .then({ type: 'PlatformReviewOverdue', data: { dueAt: '2026-12-08T16:00:00.000Z' } });
  });

  it('refuses to flag a review that is not running', () => {
    given(...AT.platform_approved)
      .when({ type: 'FlagPlatformReviewOverdue', actor: SYSTEM })
      .thenThrows('wrong_stage');
    given(...AT.platform_review)
      .when({ type: 'FlagBureauReviewOverdue', actor: SYSTEM })
      .thenThrows('wrong_stage');
  });
});

describe('bureau review', () => {
  it('starts in the operator’s province with the computed deadline', () => {
    given(...AT.sms_verified)
      .when({ type: 'StartBureauReview', actor: SYSTEM, deadline: BUREAU_REVIEW_DUE })
      .then({ type: 'BureauReviewStarted', data: { ...BUREAU_REVIEW_DUE, province: '440000' } });
    expect(BUREAU_REVIEW_DUE.workingDays).toBe(20);
  });

  it('refuses a bureau review deadline without a usable allowance', () => {
    given(...AT.sms_verified)
      .when({ type: 'StartBureauReview', actor: SYSTEM, deadline: { ...BUREAU_REVIEW_DUE, workingDays: 0 } })
      .thenThrows('invalid_command', { field: 'deadline.workingDays', rule: 'positive_integer' });
  });

  it('refuses to start before the SMS is verified', () => {
    given(...AT.sms_verification)
      .when({ type: 'StartBureauReview', actor: SYSTEM, deadline: BUREAU_REVIEW_DUE })
      .thenThrows('wrong_stage');
  });

  it('lets the bureau of the filing’s province approve or reject with an explanation', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('approve'))
      .then({ type: 'BureauReviewApproved', data: {} });
    given(...AT.bureau_review)
      .when(reviewAsBureau('reject', ' 主办单位信息与证件不一致 '))
      .then({ type: 'BureauReviewRejected', data: { reasons: '主办单位信息与证件不一致' } });
  });

  it.each([undefined, '', '    '])('refuses a rejection without an explanation (%j)', (reasons) => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('reject', reasons))
      .thenThrows('invalid_command', { field: 'reasons', rule: 'required' });
  });

  it('refuses an explanation over 2000 characters', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('reject', 'x'.repeat(2001)))
      .thenThrows('invalid_command', { rule: 'too_long' });
  });

  it('treats another province’s filing as out of scope', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('approve', undefined, BEIJING_BUREAU))
      .thenThrows('out_of_scope');
  });

  it('refuses a bureau decision while the platform review runs', () => {
    given(...AT.platform_review)
      .when(reviewAsBureau('approve'))
      .thenThrows('wrong_stage', { status: 'platform_review', stage: 'platform_review' });
  });

  it('refuses the platform', () => {
    given(...AT.bureau_review)
      .when({ type: 'ReviewAsBureau', actor: PLATFORM, decision: 'approve' })
      .thenThrows('forbidden_role');
  });

  it('refuses a second decision', () => {
    given(...AT.bureau_approved)
      .when(reviewAsBureau('reject', '重复决定'))
      .thenThrows('wrong_stage');
  });

  it('returns a filing for correction with its explanation and per-field reasons (texts trimmed)', () => {
    given(...AT.bureau_review)
      .when(
        reviewAsBureau('return', ' 请核对应用信息 ', GUANGDONG_BUREAU, [
          {
            path: 'app.platforms.0.packageName',
            problem: ' 包名与安装包不一致 ',
            suggestion: ' 按安装包中的包名填写 ',
          },
          { path: 'app.name', problem: '名称与截图不符', suggestion: '  ' },
        ]),
      )
      .then({
        type: 'BureauReviewReturned',
        data: {
          reasons: '请核对应用信息',
          fieldReasons: [PACKAGE_NAME_REASON, { path: 'app.name', problem: '名称与截图不符' }],
        },
      });
  });

  it('rejects with per-field reasons beside the explanation', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('reject', '不予备案', GUANGDONG_BUREAU, [PACKAGE_NAME_REASON]))
      .then({
        type: 'BureauReviewRejected',
        data: { reasons: '不予备案', fieldReasons: [PACKAGE_NAME_REASON] },
      });
  });

  it.each([
    [undefined, 'fieldReasons', 'required'],
    [[], 'fieldReasons', 'required'],
  ] as const)('refuses a return without field reasons (%j)', (fieldReasons, field, rule) => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('return', '请修改', GUANGDONG_BUREAU, fieldReasons as FieldReason[] | undefined))
      .thenThrows('invalid_command', { field, rule });
  });

  it('refuses a return without an explanation', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('return', ' ', GUANGDONG_BUREAU, [PACKAGE_NAME_REASON]))
      .thenThrows('invalid_command', { field: 'reasons', rule: 'required' });
  });

  it.each([
    [{ path: 'foo.bar', problem: '不存在' }, 'fieldReasons.0.path', 'unknown_form_field'],
    [{ path: ' app.name', problem: '空格' }, 'fieldReasons.0.path', 'unknown_form_field'],
    [{ path: 'app.platforms.x.packageName', problem: '不存在' }, 'fieldReasons.0.path', 'unknown_form_field'],
    [{ path: 'app.name', problem: '  ' }, 'fieldReasons.0.problem', 'required'],
    [{ path: 'app.name' }, 'fieldReasons.0.problem', 'required'],
    [{ path: 'app.name', problem: '问题', suggestion: 7 }, 'fieldReasons.0.suggestion', 'type'],
    [{ path: 'app.name', problem: '问'.repeat(501) }, 'fieldReasons.0.problem', 'too_long'],
    ['app.name', 'fieldReasons.0', 'type'],
  ] as const)('refuses the field reason %j, naming %s', (reason, field, rule) => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('return', '请修改', GUANGDONG_BUREAU, [reason as unknown as FieldReason]))
      .thenThrows('invalid_command', { field, rule });
  });

  it('refuses more than 50 field reasons', () => {
    const many = Array.from({ length: 51 }, () => PACKAGE_NAME_REASON);
    given(...AT.bureau_review)
      .when(reviewAsBureau('return', '请修改', GUANGDONG_BUREAU, many))
      .thenThrows('invalid_command', { field: 'fieldReasons', rule: 'too_many' });
  });

  it('refuses field reasons on an approval', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('approve', undefined, GUANGDONG_BUREAU, [PACKAGE_NAME_REASON]))
      .thenThrows('invalid_command', { field: 'fieldReasons', rule: 'not_allowed' });
  });

  it('refuses a return by another province’s bureau, or outside bureau review', () => {
    given(...AT.bureau_review)
      .when(reviewAsBureau('return', '请修改', BEIJING_BUREAU, [PACKAGE_NAME_REASON]))
      .thenThrows('out_of_scope');
    given(...AT.sms_verified)
      .when(reviewAsBureau('return', '请修改', GUANGDONG_BUREAU, [PACKAGE_NAME_REASON]))
      .thenThrows('wrong_stage', { status: 'sms_verified' });
  });

  it('lets the platform correct a filing the bureau returned, which starts over at submitted', () => {
    const returnedByBureau: FilingEvent = {
      type: 'BureauReviewReturned',
      data: { reasons: '请修改', fieldReasons: [PACKAGE_NAME_REASON] },
    };
    given(...AT.bureau_review, returnedByBureau)
      .when(correct(loadValidForm('valid-app')))
      .then({ type: 'FilingCorrected', data: { form: appForm, appName: '示例记账' } });
    given(...AT.bureau_review, returnedByBureau)
      .when(withdraw())
      .then({ type: 'FilingWithdrawn', data: {} });
  });
});

describe('issuance, publication and notification', () => {
  const issue: FilingCommand = {
    type: 'IssueRegistrationNumber',
    actor: SYSTEM,
    subjectNumber: SUBJECT_NUMBER,
    serviceNumber: SERVICE_NUMBER,
  };
  const publish: FilingCommand = { type: 'PublishRegistration', actor: SYSTEM };
  const notify: FilingCommand = { type: 'NotifyApplicant', actor: SYSTEM, channels: ['sms', 'email'] };

  it('issues, publishes and notifies in that order', () => {
    given(...AT.bureau_approved)
      .when(issue)
      .then({
        type: 'RegistrationNumberIssued',
        data: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
      });
    given(...AT.registered)
      .when(publish)
      .then({
        type: 'RegistrationPublished',
        data: {
          registrationNumber: SERVICE_NUMBER,
          appName: '示例记账',
          serviceType: 'app',
          operatorName: '深圳市示例账本科技有限公司',
          province: '440000',
        },
      });
    given(...AT.published)
      .when(notify)
      .then({ type: 'ApplicantNotified', data: { channels: ['sms', 'email'] } });
  });

  it('publishes the operator name the registry holds, not a subject number', () => {
    const submittedBySubjectNumber: FilingEvent = {
      type: 'FilingSubmitted',
      data: { ...SUBMITTED.data, form: validatedForm('valid-existing-subject') },
    };
    given(submittedBySubjectNumber, ...AT.bureau_approved.slice(1))
      .when({ ...issue, operatorName: '上海示例教育科技有限公司' })
      .then({
        type: 'RegistrationNumberIssued',
        data: {
          subjectNumber: SUBJECT_NUMBER,
          serviceNumber: SERVICE_NUMBER,
          operatorName: '上海示例教育科技有限公司',
        },
      });
    given(submittedBySubjectNumber, ...AT.bureau_approved.slice(1), {
      type: 'RegistrationNumberIssued',
      data: {
        subjectNumber: SUBJECT_NUMBER,
        serviceNumber: SERVICE_NUMBER,
        operatorName: '上海示例教育科技有限公司',
      },
    })
      .when(publish)
      .then({
        type: 'RegistrationPublished',
        data: {
          registrationNumber: SERVICE_NUMBER,
          appName: '示例记账',
          serviceType: 'app',
          operatorName: '上海示例教育科技有限公司',
          province: '440000',
        },
      });
  });

  it('returns the filing to its platform when the registry refuses the number', () => {
    const refuse: FilingCommand = {
      type: 'RefuseRegistrationNumber',
      actor: SYSTEM,
      refusal: 'subject_not_registered',
      reasons: '粤ICP备2026000001号 is not in the registry under the certificate the filing carries',
    };
    given(...AT.bureau_approved)
      .when(refuse)
      .then({
        type: 'RegistrationNumberRefused',
        data: {
          refusal: 'subject_not_registered',
          reasons: '粤ICP备2026000001号 is not in the registry under the certificate the filing carries',
        },
      });
    expect(
      stateAfter(...AT.bureau_approved, {
        type: 'RegistrationNumberRefused',
        data: { refusal: 'subject_not_registered', reasons: 'not in the registry' },
      }),
    ).toMatchObject({ status: 'returned_for_correction', reasons: 'not in the registry' });
    given(...AT.registered)
      .when(refuse)
      .thenThrows('wrong_stage');
  });

  it('publishes the corrected app name', () => {
    const renamed = validatedForm('valid-app', (form) => {
      section(form, 'app').name = '示例记账本';
    });
    given(
      ...AT.returned_for_correction,
      { type: 'FilingCorrected', data: { form: renamed, appName: '示例记账本' } },
      ...AT.registered
        .slice(1)
        .map((event) =>
          event.type === 'PlatformReviewStarted' ? { ...event, data: { ...event.data, round: 2 } } : event,
        ),
    )
      .when(publish)
      .then({
        type: 'RegistrationPublished',
        data: {
          registrationNumber: SERVICE_NUMBER,
          appName: '示例记账本',
          serviceType: 'app',
          operatorName: '深圳市示例账本科技有限公司',
          province: '440000',
        },
      });
  });

  it.each<[string, FilingCommand, FilingStatus]>([
    ['issue before the bureau approved', issue, 'bureau_review'],
    ['issue twice', issue, 'registered'],
    ['publish before a number is issued', publish, 'bureau_approved'],
    ['publish twice', publish, 'published'],
    ['notify before publication', notify, 'registered'],
    ['notify twice', notify, 'completed'],
  ])('refuses to %s', (_what, command, status) => {
    given(...AT[status])
      .when(command)
      .thenThrows('wrong_stage');
  });
});

describe('WithdrawFiling', () => {
  // Until the platform has approved it, or while it is back with the platform (to be reviewed again).
  const WITHDRAWABLE: FilingStatus[] = [
    'submitted',
    'platform_review',
    'returned_for_correction',
    'returned_to_platform',
  ];
  const APPROVED_BY_THE_PLATFORM: FilingStatus[] = [
    'platform_approved',
    'sms_verification',
    'sms_verified',
    'bureau_review',
  ];
  const NOT_WITHDRAWABLE: FilingStatus[] = [
    ...APPROVED_BY_THE_PLATFORM,
    'not_submitted',
    'bureau_approved',
    'registered',
    'published',
    'completed',
    'rejected',
    'withdrawn',
  ];
  const CANCELLATION: FilingEventOf<'FilingSubmitted'> = {
    type: 'FilingSubmitted',
    data: {
      ...SUBMITTED.data,
      kind: 'cancellation',
      target: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    },
  };
  const withHistory = (status: FilingStatus, first: FilingEvent): FilingEvent[] => [
    first,
    ...AT[status].slice(1),
  ];

  it('covers every status', () => {
    expect([...WITHDRAWABLE, ...NOT_WITHDRAWABLE].sort()).toEqual(Object.keys(AT).sort());
  });

  it.each(WITHDRAWABLE)('withdraws a filing in status %s', (status) => {
    given(...AT[status])
      .when(withdraw())
      .then({ type: 'FilingWithdrawn', data: {} });
  });

  it.each(NOT_WITHDRAWABLE)('refuses a withdrawal in status %s', (status) => {
    given(...AT[status])
      .when(withdraw())
      .thenThrows('wrong_stage', { status });
  });

  it('withdraws a filing the registry sent back for correction after the bureau approved it', () => {
    const refused: FilingEvent = {
      type: 'RegistrationNumberRefused',
      data: { refusal: 'subject_number_mismatch', reasons: '主体备案号不符' },
    };
    given(...AT.bureau_approved, refused)
      .when(withdraw())
      .then({ type: 'FilingWithdrawn', data: {} });
  });

  it.each(WITHDRAWABLE.filter((status) => status !== 'not_submitted'))(
    'refuses to withdraw a cancellation filing in status %s',
    (status) => {
      given(...withHistory(status, CANCELLATION))
        .when(withdraw())
        .thenThrows('wrong_stage', { status, rule: 'cancellation_not_withdrawable' });
    },
  );

  it.each(APPROVED_BY_THE_PLATFORM)(
    'withdraws in status %s under the rule a run recorded before followed (until the bureau decided)',
    (status) => {
      given(...AT[status])
        .when({ ...withdraw(), type: 'WithdrawFiling', rule: 'until_bureau_decision' })
        .then({ type: 'FilingWithdrawn', data: {} });
    },
  );

  it('says where the two withdrawal rules differ: after platform approval, and for a cancellation', () => {
    const differ = (Object.keys(AT) as FilingStatus[]).filter((status) =>
      withdrawalRulesDiffer(stateAfter(...AT[status])),
    );
    expect(differ.sort()).toEqual([...APPROVED_BY_THE_PLATFORM].sort());
    expect(withdrawalRulesDiffer(stateAfter(...withHistory('platform_review', CANCELLATION)))).toBe(true);
    expect(withdrawalRulesDiffer(stateAfter(...withHistory('bureau_approved', CANCELLATION)))).toBe(false);
  });

  it('keeps the platform’s reasons', () => {
    given(...AT.platform_review)
      .when(withdraw(PLATFORM, ' 产品下线 '))
      .then({ type: 'FilingWithdrawn', data: { reasons: '产品下线' } });
  });

  it('treats another platform’s filing as out of scope', () => {
    given(...AT.platform_review)
      .when(withdraw(OTHER_PLATFORM))
      .thenThrows('out_of_scope');
  });

  it.each(ROLES.filter((role) => role !== 'platform'))('refuses a withdrawal by role %s', (role) => {
    given(...AT.platform_review)
      .when(withdraw(ACTOR_OF_ROLE[role]))
      .thenThrows('forbidden_role');
  });
});

/** Who may give each command: every command type is listed, so a new one cannot go untested. */
const COMMAND_ROLES: Record<
  FilingCommandType,
  {
    role: ActorRole;
    status: FilingStatus;
    command: (actor: Actor) => FilingCommand;
    /** A history ending in `status` other than the new registration's (a command for another kind). */
    history?: FilingEvent[];
  }
> = {
  SubmitFiling: {
    role: 'platform',
    status: 'not_submitted',
    command: (actor) => submit(loadValidForm('valid-app'), actor),
  },
  StartPlatformReview: {
    role: 'system',
    status: 'submitted',
    command: (actor) => ({ type: 'StartPlatformReview', actor, deadline: PLATFORM_REVIEW_DUE }),
  },
  FlagPlatformReviewOverdue: {
    role: 'system',
    status: 'platform_review',
    command: (actor) => ({ type: 'FlagPlatformReviewOverdue', actor }),
  },
  ReviewAsPlatform: {
    role: 'platform',
    status: 'platform_review',
    command: (actor) => reviewAsPlatform('approve', undefined, actor),
  },
  CorrectFiling: {
    role: 'platform',
    status: 'returned_for_correction',
    command: (actor) => correct(loadValidForm('valid-app'), actor),
  },
  RecordSmsSent: {
    role: 'system',
    status: 'platform_approved',
    command: (actor) => ({ type: 'RecordSmsSent', actor, challengeId: 'c-1', expiresAt: SMS_EXPIRES_AT }),
  },
  RecordSmsCheck: {
    role: 'applicant',
    status: 'sms_verification',
    command: (actor) => ({ type: 'RecordSmsCheck', actor, challengeId: FIRST_CHALLENGE, outcome: 'match' }),
  },
  ExpireSmsChallenge: {
    role: 'system',
    status: 'sms_verification',
    command: (actor) => ({ type: 'ExpireSmsChallenge', actor, challengeId: FIRST_CHALLENGE }),
  },
  ResubmitFiling: {
    role: 'platform',
    status: 'returned_to_platform',
    command: (actor) => ({ type: 'ResubmitFiling', actor }),
  },
  StartBureauReview: {
    role: 'system',
    status: 'sms_verified',
    command: (actor) => ({ type: 'StartBureauReview', actor, deadline: BUREAU_REVIEW_DUE }),
  },
  FlagBureauReviewOverdue: {
    role: 'system',
    status: 'bureau_review',
    command: (actor) => ({ type: 'FlagBureauReviewOverdue', actor }),
  },
  ReviewAsBureau: {
    role: 'bureau',
    status: 'bureau_review',
    command: (actor) => reviewAsBureau('approve', undefined, actor),
  },
  IssueRegistrationNumber: {
    role: 'system',
    status: 'bureau_approved',
    command: (actor) => ({
      type: 'IssueRegistrationNumber',
      actor,
      subjectNumber: SUBJECT_NUMBER,
      serviceNumber: SERVICE_NUMBER,
    }),
  },
  RefuseRegistrationNumber: {
    role: 'system',
    status: 'bureau_approved',
    command: (actor) => ({
      type: 'RefuseRegistrationNumber',
      actor,
      refusal: 'subject_number_mismatch',
      reasons: '证件所持主体备案号与所填不符',
    }),
  },
  ApplyToRegistry: {
    role: 'system',
    status: 'bureau_approved',
    command: (actor) => ({
      type: 'ApplyToRegistry',
      actor,
      subjectNumber: SUBJECT_NUMBER,
      serviceNumbers: [SERVICE_NUMBER],
    }),
    history: historiesByStatus({
      ...SUBMITTED,
      data: { ...SUBMITTED.data, kind: 'cancellation', target: { subjectNumber: SUBJECT_NUMBER } },
    }).bureau_approved,
  },
  PublishRegistration: {
    role: 'system',
    status: 'registered',
    command: (actor) => ({ type: 'PublishRegistration', actor }),
  },
  NotifyApplicant: {
    role: 'system',
    status: 'published',
    command: (actor) => ({ type: 'NotifyApplicant', actor, channels: ['email'] }),
  },
  RequestSmsResend: {
    role: 'platform',
    status: 'sms_verification',
    command: (actor) => resend('requested', actor),
  },
  SendScheduledSmsResend: {
    role: 'system',
    status: 'sms_verification',
    command: (actor) => resend('scheduled', actor),
  },
  WithdrawFiling: { role: 'platform', status: 'platform_review', command: (actor) => withdraw(actor) },
};

describe('roles', () => {
  const cases = (Object.keys(COMMAND_ROLES) as FilingCommandType[]).flatMap((type) =>
    ROLES.filter((role) => role !== COMMAND_ROLES[type].role).map((role) => [type, role] as const),
  );

  it.each(cases)('refuses %s from role %s', (type, role) => {
    const { status, command } = COMMAND_ROLES[type];
    given(...AT[status])
      .when(command(ACTOR_OF_ROLE[role]))
      .thenThrows('forbidden_role');
  });

  it.each(Object.keys(COMMAND_ROLES) as FilingCommandType[])(
    'accepts %s from its role in its stage',
    (type) => {
      const { role, status, command, history } = COMMAND_ROLES[type];
      const state = stateAfter(...(history ?? AT[status]));
      expect(decide(command(ACTOR_OF_ROLE[role]), state).length).toBeGreaterThan(0);
    },
  );
});
