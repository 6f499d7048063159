import type { FilingKind } from '../../events/filing/filing-kind';
import type { NoticeFacts, OutcomeNotice } from '../../events/filing/outcome-notices';
import { registeredNoticeOf } from '../../events/filing/outcome-notices';
import { chinaTimeOf, ICP_LOOKUP_URL, renderNotice } from './notices';

const FACTS: NoticeFacts = {
  filingId: 'f-7c1e',
  appName: '示例记账',
  serviceType: 'app',
  kind: 'new_registration',
};
const NUMBER = '粤ICP备2026000123号-1A';
const REASONS = { reasons: '请补充服务内容说明。', fieldReasons: [] };
const FIELD_REASONS = [
  { path: 'app.domains[0]', problem: '域名未完成实名认证', suggestion: '完成实名认证后重新提交' },
  { path: 'access.ispName', problem: '接入服务商与实际不符' },
];

/** One notice of every template. */
const NOTICES: readonly OutcomeNotice[] = [
  { template: 'platform_approved', facts: FACTS },
  { template: 'platform_returned', facts: { ...FACTS, ...REASONS } },
  { template: 'platform_rejected', facts: { ...FACTS, reasons: '应用名称与实际服务不符', fieldReasons: [] } },
  { template: 'sms_sent', facts: { ...FACTS, expiresAt: '2026-12-02T03:00:00.000Z' } },
  { template: 'returned_to_platform', facts: { ...FACTS, reason: 'sms_expired' } },
  { template: 'registry_returned', facts: { ...FACTS, refusal: 'subject_not_registered' } },
  { template: 'bureau_returned', facts: { ...FACTS, reasons: '域名信息有误', fieldReasons: FIELD_REASONS } },
  { template: 'bureau_rejected', facts: { ...FACTS, reasons: '主办单位信息与证件不一致', fieldReasons: [] } },
  registeredNoticeOf(FACTS, NUMBER),
  { template: 'withdrawn', facts: FACTS },
];

const textsOf = (notice: OutcomeNotice): string[] => {
  const rendered = renderNotice(notice);
  return [rendered.sms, rendered.email.subject, rendered.email.text];
};

describe('the applicant’s notices, in Chinese', () => {
  it.each(NOTICES.map((notice) => [notice.template, notice] as const))(
    '%s names the filing and its app, and no ID number or code',
    (_template, notice) => {
      const { sms, email } = renderNotice(notice);
      for (const text of [sms, email.text]) {
        expect(text).toContain('f-7c1e');
        expect(text).toContain('「示例记账」');
        // No 6-digit run on its own (a 12381 code) and no ID number (18 characters, 17 digits).
        expect(text).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
        expect(text).not.toMatch(/\d{17}[\dX]/);
        expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(sms.startsWith('【工信部ICP备案】')).toBe(true);
      expect(email.subject).toContain('「示例记账」');
    },
  );

  it('names the number and the registration system’s lookup link for every kind that registers', () => {
    const kinds: Array<[FilingKind, string]> = [
      ['new_registration', '备案号：'],
      ['change', '变更已生效'],
      ['cancellation', '已注销'],
      ['new_access', '新增接入已生效'],
    ];
    for (const [kind, words] of kinds) {
      const [sms, subject, text] = textsOf(registeredNoticeOf({ ...FACTS, kind }, NUMBER));
      for (const body of [sms, text]) {
        expect(body).toContain(NUMBER);
        expect(body).toContain(ICP_LOOKUP_URL);
        expect(body).toContain(words);
      }
      expect(subject).toContain(NUMBER);
    }
    expect(ICP_LOOKUP_URL).toBe('https://beian.miit.gov.cn');
  });

  it('gives the reviewers’ reasons, per field where the bureau named fields', () => {
    const [sms] = textsOf(NOTICES[6] as OutcomeNotice);
    expect(sms).toContain('退回原因：域名信息有误。');
    expect(sms).toContain('（1）app.domains[0]：域名未完成实名认证；修改建议：完成实名认证后重新提交');
    expect(sms).toContain('（2）access.ispName：接入服务商与实际不符');
    expect(textsOf(NOTICES[1] as OutcomeNotice)[0]).toContain('退回原因：请补充服务内容说明。');
    expect(textsOf(NOTICES[7] as OutcomeNotice)[0]).toContain('原因：主办单位信息与证件不一致');
  });

  it('says why the SMS check ended, and until when a code is valid, in China’s time', () => {
    expect(
      textsOf({ template: 'returned_to_platform', facts: { ...FACTS, reason: 'sms_expired' } })[0],
    ).toContain('未在24小时内完成短信核验');
    expect(
      textsOf({ template: 'returned_to_platform', facts: { ...FACTS, reason: 'sms_attempts_exhausted' } })[0],
    ).toContain('错误次数已达上限');
    expect(chinaTimeOf('2026-12-02T03:00:00.000Z')).toBe('2026年12月2日 11:00（北京时间）');
    expect(chinaTimeOf('2026-12-31T16:05:00.000Z')).toBe('2027年1月1日 00:05（北京时间）');
    expect(textsOf(NOTICES[3] as OutcomeNotice)[2]).toContain('2026年12月2日 11:00（北京时间）前完成核验');
  });

  it('labels a mini program and a change filing', () => {
    const [sms] = textsOf({
      template: 'withdrawn',
      facts: { ...FACTS, serviceType: 'mini_program', kind: 'change' },
    });
    expect(sms).toBe(
      '【工信部ICP备案】您的小程序「示例记账」ICP备案变更申请（申请号：f-7c1e）已撤回，备案流程结束。',
    );
  });
});
