import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
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
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import { FILING_EVENT_TYPES, type FilingEvent, type FilingEventOf } from './filing-events';
import { initialFilingState } from './filing-state';
import {
  type NoticeEvent,
  type NoticeFacts,
  noticeOf,
  noticeRecipientOf,
  type NoticeTemplate,
  registeredNoticeOf,
} from './outcome-notices';

function appForm(): RegistrationForm {
  const result = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error('valid-app does not validate');
  return result.value;
}

const form = appForm();
const SUBMITTED: FilingEventOf<'FilingSubmitted'> = {
  type: 'FilingSubmitted',
  data: {
    filingId: 'filing-0001',
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form,
  },
};
const AT = historiesByStatus(SUBMITTED);
const FACTS: NoticeFacts = {
  filingId: 'filing-0001',
  appName: '示例记账',
  serviceType: 'app',
  kind: 'new_registration',
};
const FIELD_REASONS = [
  { path: 'app.domains[0]', problem: '域名未完成实名认证', suggestion: '完成域名实名认证后重新提交' },
];

/** One event of every type, and the notice the applicant gets of it (undefined: none). */
const DECISIONS: ReadonlyArray<[NoticeEvent, NoticeTemplate | undefined]> = [
  [SUBMITTED, undefined],
  [{ type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 1 } }, undefined],
  [{ type: 'PlatformReviewOverdue', data: { dueAt: PLATFORM_REVIEW_DUE.dueAt } }, undefined],
  [{ type: 'PlatformReviewApproved', data: {} }, 'platform_approved'],
  [{ type: 'FilingReturnedForCorrection', data: { reasons: '请补充服务内容说明' } }, 'platform_returned'],
  [{ type: 'FilingCorrected', data: { form, appName: '示例记账' } }, undefined],
  [{ type: 'PlatformReviewRejected', data: { reasons: '应用名称与实际服务不符' } }, 'platform_rejected'],
  [
    {
      type: 'SmsVerificationSent',
      data: { challengeId: FIRST_CHALLENGE, round: 1, expiresAt: SMS_EXPIRES_AT },
    },
    'sms_sent',
  ],
  [
    {
      type: 'SmsVerificationFailed',
      data: { challengeId: FIRST_CHALLENGE, failedAttempts: 1, attemptsLeft: 4 },
    },
    undefined,
  ],
  [{ type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } }, undefined],
  [
    {
      type: 'SmsVerificationResent',
      data: {
        challengeId: `${FIRST_CHALLENGE}:1`,
        previousChallengeId: FIRST_CHALLENGE,
        trigger: 'requested',
        expiresAt: '2026-12-02T02:00:00.000Z',
      },
    },
    undefined,
  ],
  [
    { type: 'SmsVerificationExpired', data: { challengeId: FIRST_CHALLENGE, expiresAt: SMS_EXPIRES_AT } },
    undefined,
  ],
  [{ type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } }, 'returned_to_platform'],
  [{ type: 'FilingResubmitted', data: {} }, undefined],
  [{ type: 'BureauReviewStarted', data: { ...BUREAU_REVIEW_DUE, province: '440000' } }, undefined],
  [{ type: 'BureauReviewOverdue', data: { dueAt: BUREAU_REVIEW_DUE.dueAt } }, undefined],
  [{ type: 'BureauReviewApproved', data: {} }, undefined],
  [
    { type: 'BureauReviewReturned', data: { reasons: '域名信息有误', fieldReasons: FIELD_REASONS } },
    'bureau_returned',
  ],
  [{ type: 'BureauReviewRejected', data: { reasons: '主办单位信息与证件不一致' } }, 'bureau_rejected'],
  [
    {
      type: 'RegistrationNumberIssued',
      data: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    },
    undefined,
  ],
  [
    { type: 'RegistrationNumberRefused', data: { refusal: 'subject_not_registered', reasons: 'x' } },
    'registry_returned',
  ],
  [
    {
      type: 'FilingAppliedToRegistry',
      data: { subjectNumber: SUBJECT_NUMBER, serviceNumbers: [SERVICE_NUMBER] },
    },
    undefined,
  ],
  [
    {
      type: 'RegistrationPublished',
      data: {
        registrationNumber: SERVICE_NUMBER,
        appName: '示例记账',
        serviceType: 'app',
        operatorName: '深圳市示例科技有限公司',
        province: '440000',
      },
    },
    undefined,
  ],
  [{ type: 'ApplicantNotified', data: { channels: ['sms', 'email'] } }, undefined],
  [{ type: 'FilingWithdrawn', data: { reasons: '暂不上线' } }, 'withdrawn'],
];

describe('noticeOf: which outcomes the applicant is told of', () => {
  it('decides every event type the filing records', () => {
    const decided = new Set(DECISIONS.map(([event]) => event.type));
    expect(FILING_EVENT_TYPES.filter((type) => !decided.has(type))).toEqual([]);
  });

  it.each(DECISIONS.map(([event, template]) => [event.type, template, event] as const))(
    'given a filing, when %s is recorded, then the notice is %s',
    (_type, template, event) => {
      const notice = noticeOf(event, stateAfter(...AT.bureau_review));
      expect(notice?.template).toBe(template);
      if (notice) expect(notice.facts).toMatchObject(FACTS);
    },
  );

  it('tells nothing before a filing is submitted', () => {
    expect(noticeOf({ type: 'FilingWithdrawn', data: {} }, initialFilingState)).toBeUndefined();
  });

  it('carries the reviewers’ reasons, and the bureau’s per-field reasons when given', () => {
    const returned = stateAfter(...AT.returned_for_correction);
    expect(noticeOf(AT.returned_for_correction.at(-1) as FilingEvent, returned)).toEqual({
      template: 'platform_returned',
      facts: { ...FACTS, reasons: '应用服务内容与截图不符', fieldReasons: [] },
    });
    const state = stateAfter(...AT.bureau_review);
    expect(
      noticeOf(
        { type: 'BureauReviewReturned', data: { reasons: '域名信息有误', fieldReasons: FIELD_REASONS } },
        state,
      ),
    ).toEqual({
      template: 'bureau_returned',
      facts: { ...FACTS, reasons: '域名信息有误', fieldReasons: FIELD_REASONS },
    });
    expect(noticeOf(AT.rejected.at(-1) as FilingEvent, stateAfter(...AT.rejected))).toEqual({
      template: 'bureau_rejected',
      facts: { ...FACTS, reasons: '主办单位信息与证件不一致', fieldReasons: [] },
    });
  });

  it('tells an expired SMS once: with the return to the platform recorded with it', () => {
    const history = AT.returned_to_platform;
    const notices = history.map((event, i) => noticeOf(event, stateAfter(...history.slice(0, i + 1))));
    expect(notices.slice(-2).map((notice) => notice?.template)).toEqual([undefined, 'returned_to_platform']);
    expect(notices.at(-1)).toEqual({
      template: 'returned_to_platform',
      facts: { ...FACTS, reason: 'sms_expired' },
    });
  });

  it('tells the SMS window’s end, the registry’s refusal and the registered number', () => {
    const sent = AT.sms_verification.at(-1) as FilingEvent;
    expect(noticeOf(sent, stateAfter(...AT.sms_verification))).toEqual({
      template: 'sms_sent',
      facts: { ...FACTS, expiresAt: SMS_EXPIRES_AT },
    });
    expect(
      noticeOf(
        { type: 'RegistrationNumberRefused', data: { refusal: 'subject_number_mismatch', reasons: 'x' } },
        stateAfter(...AT.bureau_approved),
      ),
    ).toEqual({ template: 'registry_returned', facts: { ...FACTS, refusal: 'subject_number_mismatch' } });
    expect(registeredNoticeOf({ ...FACTS, kind: 'cancellation' }, SERVICE_NUMBER)).toEqual({
      template: 'registered',
      facts: { ...FACTS, kind: 'cancellation', registrationNumber: SERVICE_NUMBER },
    });
  });

  it('holds no personal data: the recipient travels beside the notice, never in it', () => {
    const state = stateAfter(...AT.bureau_review);
    const personal = [form.appPrincipal.idNumber, form.appPrincipal.mobile, form.appPrincipal.email];
    for (const [event] of DECISIONS) {
      const text = JSON.stringify(noticeOf(event, state) ?? {});
      for (const value of personal) expect(text).not.toContain(value);
    }
    if (state.status === 'not_submitted') throw new Error('submitted');
    expect(noticeRecipientOf(state)).toEqual({ mobile: '+8613900139000', email: 'lisi@example.com' });
  });
});
