import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NoticeFacts } from '../../events/filing/outcome-notices';
import { openOutbox } from '../../infra/notify/outbox';
import { createIssuanceActivities } from '../../activities/filing/issuance.activities';
import { createNoticeActivities } from '../../activities/filing/notice.activities';
import { createRegistrationNumberAllocator } from '../../activities/registration-numbers';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';

const FILING_ID = '0b9f3a52-7c1e-4d7a-9e61-2f3c4d5e6f70';
const FACTS: NoticeFacts = {
  filingId: FILING_ID,
  appName: '示例记账',
  serviceType: 'app',
  kind: 'new_registration',
};
const TO = { mobile: '+8613900139000', email: 'lisi@example.com' };

describe('notifyOutcome on the real SQLite outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-notice-activity-'));
  const outbox = openOutbox(dir);
  const { notifyOutcome } = createNoticeActivities({ sms: outbox.sms, email: outbox.email });

  afterAll(async () => {
    await outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a notice once per channel, however often it is retried', async () => {
    const returned = {
      filingId: FILING_ID,
      seq: 2,
      notice: {
        template: 'platform_returned',
        facts: { ...FACTS, reasons: '请补充服务内容说明', fieldReasons: [] },
      },
      to: TO,
    } as const;
    expect(await notifyOutcome(returned)).toEqual({ channels: ['sms', 'email'] });
    expect(await notifyOutcome(returned)).toEqual({ channels: ['sms', 'email'] });
    expect(outbox.listOutbox().map((m) => [m.channel, m.to, m.idempotencyKey])).toEqual([
      ['email', TO.email, `${FILING_ID}:2:email`],
      ['sms', TO.mobile, `${FILING_ID}:2:sms`],
    ]);
    const [email, sms] = outbox.listOutbox();
    expect(sms).toMatchObject({
      sender: '12381',
      text: expect.stringContaining('退回原因：请补充服务内容说明。'),
    });
    expect(email).toMatchObject({ subject: 'ICP备案初审退回修改：「示例记账」' });
  });

  it('tells a platform approval by e-mail only (the 12381 code is the SMS of that moment)', async () => {
    const approved = {
      filingId: FILING_ID,
      seq: 5,
      notice: { template: 'platform_approved', facts: FACTS },
      to: TO,
    } as const;
    expect(await notifyOutcome(approved)).toEqual({ channels: ['email'] });
    expect(outbox.listOutbox({ to: TO.mobile }).map((m) => m.idempotencyKey)).toEqual([`${FILING_ID}:2:sms`]);
  });

  it('tells the published registration by kind, with the number and the lookup link, once', async () => {
    const log = new SqliteEventLog(join(dir, 'events.sqlite'));
    const { notifyApplicant } = createIssuanceActivities({
      allocator: createRegistrationNumberAllocator({ eventLog: log }),
      sms: outbox.sms,
      email: outbox.email,
    });
    const number = '粤ICP备2026000123号-1A';
    const request = {
      filingId: FILING_ID,
      ...TO,
      appName: '示例记账',
      registrationNumber: number,
      kind: 'change',
    } as const;
    await notifyApplicant(request);
    await notifyApplicant(request);
    await log.close();
    const [email, sms] = outbox.listOutbox({ limit: 2 });
    expect(sms?.idempotencyKey).toBe(`${FILING_ID}:registered:sms`);
    expect(sms?.text).toBe(
      `【工信部ICP备案】您的APP「示例记账」ICP备案变更申请（申请号：${FILING_ID}）已通过审核，变更已生效，备案号${number}不变。` +
        '可登录工业和信息化部ICP/IP地址/域名信息备案管理系统（https://beian.miit.gov.cn）查询。',
    );
    expect(email).toMatchObject({ subject: `ICP备案变更审核通过：「示例记账」，备案号${number}` });
    expect(outbox.listOutbox().filter((m) => m.idempotencyKey.includes(':registered:'))).toHaveLength(2);
  });
});
