import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { ActivityDeps } from '../../activities';
import type { SmsSender } from '../../activities/ports/notification.port';
import { readOutbox } from '../../infra/notify/outbox';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import {
  bureauReviewUpdate,
  correctionUpdate,
  platformReviewUpdate,
  smsVerificationUpdate,
  withdrawalUpdate,
} from './filing.definitions';
import type { filingWorkflow } from './filing.workflow';

type Handle = WorkflowHandle<typeof filingWorkflow>;
const MOBILE = '+8613900139000';
const EMAIL = 'lisi@example.com';
const ID_LAST6 = '150043';
const GUANGDONG = bureauOf('440000');
/** The seq of FilingReturnedForCorrection in a filing returned by its first review. */
const RETURNED_SEQ = 2;

/**
 * An SMS gateway that takes the first message of a key and then loses its answer (the attempt fails
 * after the send): the activity is retried and must not send again.
 */
function losingFirstAnswer(sms: SmsSender, lost: (key: string) => boolean, attempts: Map<string, number>) {
  return {
    async send(message: Parameters<SmsSender['send']>[0]): Promise<void> {
      await sms.send(message);
      const n = (attempts.get(message.idempotencyKey) ?? 0) + 1;
      attempts.set(message.idempotencyKey, n);
      if (n === 1 && lost(message.idempotencyKey)) throw new Error('gateway answer lost');
    },
  };
}

async function waitUntil(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the applicant is told of every outcome (time-skipping server, real SQLite outbox)', () => {
  let harness: FilingHarness;
  const attempts = new Map<string, number>();
  let counter = 0;
  const action = (what: string): string => `${what}-${(counter += 1)}`;

  beforeAll(async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });
    harness = await FilingHarness.start();
    const lost = (key: string) => key.endsWith(`:${RETURNED_SEQ}:sms`);
    const deps: ActivityDeps = { ...harness.deps, sms: losingFirstAnswer(harness.deps.sms, lost, attempts) };
    await harness.runWorker(bundle, deps);
  });
  afterAll(async () => {
    if (!harness) return;
    const reports = await harness.auditStartedFilings();
    await harness.stop();
    expect(reports.flatMap((report) => report.findings)).toEqual([]);
  });

  /** What the outbox holds for one filing, oldest first, on one channel's recipient. */
  const sentFor = (filingId: string, to: string) =>
    readOutbox(harness.config.dataDir, { to, limit: 100 })
      .filter((message) => message.idempotencyKey.includes(filingId))
      .reverse();

  const decide = (h: Handle, decision: 'approve' | 'return' | 'reject', reasons?: string) =>
    h.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision, reasons }],
      updateId: action('pr'),
    });

  it('tells a return for correction, the approval, the SMS and the number, each once and in order', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    const filingId = handle.workflowId.replace(/^filing-/, '');
    await harness.waitForStatus(handle, 'platform_review');
    await decide(handle, 'return', '请补充服务内容说明');
    // Its first attempt sends the SMS and fails; the retry (a second later) sends the e-mail only.
    await waitUntil(() => sentFor(filingId, EMAIL).length === 1);
    await handle.executeUpdate(correctionUpdate, {
      args: [{ actor: PLATFORM, form: loadValidForm('valid-app') }],
      updateId: action('fix'),
    });
    await harness.waitForStatus(handle, 'platform_review');
    await decide(handle, 'approve');
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode(MOBILE), ID_LAST6);
    const verified = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: action('sms'),
    });
    expect(verified.verified).toBe(true);
    await harness.waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'approve' }],
      updateId: action('br'),
    });
    const outcome = await harness.outcome(handle);
    expect(outcome.status).toBe('completed');
    const number = String(outcome.registrationNumber);

    // The returned notice's SMS went out on the first attempt, whose answer was lost: retried, not resent.
    expect(attempts.get(`${filingId}:${RETURNED_SEQ}:sms`)).toBe(2);
    const sms = sentFor(filingId, MOBILE);
    expect(sms.map((m) => m.idempotencyKey)).toEqual([
      `${filingId}:2:sms`,
      expect.stringMatching(new RegExp(`^sms-code:${filingId}:sms:1:`)),
      `${filingId}:registered:sms`,
    ]);
    expect(sms[0]?.text).toBe(
      `【工信部ICP备案】您的APP「示例记账」ICP备案申请（申请号：${filingId}）未通过接入平台初审，已退回修改。` +
        '退回原因：请补充服务内容说明。请配合接入平台修改后重新提交。',
    );
    expect(sms[2]?.text).toContain(`备案号：${number}`);
    expect(sms[2]?.text).toContain('https://beian.miit.gov.cn');

    const email = sentFor(filingId, EMAIL);
    expect(email.map((m) => m.idempotencyKey)).toEqual([
      `${filingId}:2:email`,
      `${filingId}:5:email`,
      `${filingId}:6:email`,
      `${filingId}:registered:email`,
    ]);
    expect(email.map((m) => (m.channel === 'email' ? m.subject : ''))).toEqual([
      'ICP备案初审退回修改：「示例记账」',
      'ICP备案初审通过：「示例记账」',
      'ICP备案短信核验码已发送：「示例记账」',
      `ICP备案审核通过：「示例记账」，备案号${number}`,
    ]);
    expect(email[2]?.text).toMatch(/请于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）前完成核验/);
    // No notice holds the code, or the applicant's ID number.
    const code = /核验码为(\d{6})/.exec(sms[1]?.text ?? '')?.[1] ?? 'none';
    for (const message of [sms[0], sms[2], ...email]) {
      expect(message?.text).not.toContain(code);
      expect(message?.text).not.toContain('110105199207150043');
    }
  });

  it('tells a bureau rejection with its reasons before the run ends', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    const filingId = handle.workflowId.replace(/^filing-/, '');
    await harness.waitForStatus(handle, 'platform_review');
    await decide(handle, 'approve');
    await harness.waitForStatus(handle, 'sms_verification');
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(harness.latestCode(MOBILE), ID_LAST6) }],
      updateId: action('sms'),
    });
    await harness.waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'reject', reasons: '前置审批文件与服务内容不符' }],
      updateId: action('br'),
    });
    expect((await harness.outcome(handle)).status).toBe('rejected');

    // Read as soon as the run ended: it waited for its notices.
    const last = sentFor(filingId, MOBILE).at(-1);
    expect(last?.text).toContain('经通信管理局审核，未予通过。原因：前置审批文件与服务内容不符。');
    expect(last?.idempotencyKey).toBe(`${filingId}:6:sms`);
    expect(sentFor(filingId, EMAIL).at(-1)?.idempotencyKey).toBe(`${filingId}:6:email`);
  });

  it('tells a withdrawal, once', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    const filingId = handle.workflowId.replace(/^filing-/, '');
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') });
    expect((await harness.outcome(handle)).status).toBe('withdrawn');
    expect(sentFor(filingId, MOBILE).map((m) => m.text)).toEqual([
      `【工信部ICP备案】您的APP「示例记账」ICP备案申请（申请号：${filingId}）已撤回，备案流程结束。`,
    ]);
  });
});
