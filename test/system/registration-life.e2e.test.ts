import { join } from 'node:path';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { filingStreamId } from '../../events/filing/stream-ids';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { uscc } from '../support/registry-import-lines';
import { apiCaller, eventually, latestSmsCode, statusWaiter } from './api-caller';
import { isolatedEnv, runIcp } from './icp-process';
import { filingWorkflowCount, type StartedSystem, startSystem } from './started-system';

type Json = Record<string, unknown>;
type Form = Json & { app: Json; access: Json; operator: Json };

/** The app fixture as a service of its own (see withDistinctIdentifiers), optionally of another operator. */
function appFormOf(tag: string, operator?: Json): Form {
  const form = withDistinctIdentifiers(loadValidForm('valid-app'), tag) as Form;
  if (operator) form.operator = { ...form.operator, ...operator };
  return form;
}

/** Who the 12381 SMS goes to in the fixture: the app's and the operator's person in charge. */
const APP_PRINCIPAL = { mobile: '+8613900139000', idLast6: '150043' };
const OPERATOR_PRINCIPAL = { mobile: '13800138000', idLast6: '120036' };
const ANOTHER_ISP = '中国电信股份有限公司';

describe('a registration’s life after its number, over a started system (`icp start`)', () => {
  let system: StartedSystem;
  const tokens: Record<string, string> = {};

  const call = apiCaller(() => system, tokens);

  const env = () => isolatedEnv({ ICP_DATA_DIR: system.dataDir, TEMPORAL_PORT: String(system.temporalPort) });

  const waitForStatus = statusWaiter(call);
  const latestCode = (mobile: string) => latestSmsCode(env(), mobile);

  /** Platform approval, the 12381 check by `principal`, bureau approval: until completed. */
  async function driveToCompletion(id: string, principal: { mobile: string; idLast6: string }) {
    await waitForStatus(id, 'platform_review');
    const approved = await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    await waitForStatus(id, 'sms_verification');
    const code = await latestCode(principal.mobile);
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code,
      idLast6: principal.idLast6,
    });
    expect(verified).toMatchObject({ status: 200, json: { verified: true } });
    await waitForStatus(id, 'bureau_review');
    const decided = await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    return waitForStatus(id, 'completed');
  }

  async function submitted(path: string, body: unknown, key: string): Promise<string> {
    const created = await call('POST', path, 'wechat', body, key);
    expect({ status: created.status, errors: created.json.errors }).toEqual({
      status: 202,
      errors: undefined,
    });
    return String(created.json.filingId);
  }

  const publicService = async (serviceNumber: string) => {
    const found = await call('GET', `/v1/public/services?serviceNumber=${encodeURIComponent(serviceNumber)}`);
    expect(found.status).toBe(200);
    return (found.json.items as Json[])[0];
  };
  const publicServiceWhen = (
    serviceNumber: string,
    done: (service: Json | undefined) => boolean,
    what: string,
  ) => eventually(() => publicService(serviceNumber), done, `${serviceNumber} ${what}`);

  const filingsStarted = () => filingWorkflowCount(system.temporal);

  async function eventCount(): Promise<number> {
    const log = new SqliteEventLog(join(system.dataDir, 'events.sqlite'));
    try {
      return (await log.readAll()).length;
    } finally {
      await log.close();
    }
  }

  /** `icp audit replay`: the filing's stream verified, and cross-checked against Temporal's history. */
  async function expectAuditVerified(filingId: string) {
    const replay = await runIcp(['audit', 'replay', filingId, '--json'], env());
    const report = JSON.parse(replay.stdout) as { verdict: string; temporal: { checked: boolean } };
    expect({ code: replay.code, verdict: report.verdict, temporalChecked: report.temporal.checked }).toEqual({
      code: 0,
      verdict: 'verified',
      temporalChecked: true,
    });
  }

  beforeAll(async () => {
    system = await startSystem('registration-life-e2e');
    const issue = async (name: string, ...args: string[]) => {
      const result = await runIcp(['token', ...args], env());
      expect(result.code).toBe(0);
      tokens[name] = result.stdout.trim();
    };
    await issue('wechat', '--role', 'platform', '--platform', 'wechat');
    await issue('guangdong', '--role', 'bureau', '--province', '440000');
    await issue('auditor', '--role', 'auditor');
    await issue('aliyun', '--role', 'isp', '--isp-name', '阿里云计算有限公司');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('takes one service from its number through a change, an access withdrawn and restored, to its cancellation', async () => {
    const form = appFormOf('life');
    const first = await driveToCompletion(await submitted('/v1/filings', form, 'life-new'), APP_PRINCIPAL);
    const number = String(first.registrationNumber);
    const filings = [String(first.filingId)];

    // A change of package name and domain: the same number, the new identifiers public.
    const changed = structuredClone(form);
    const platforms = changed.app.platforms as Json[];
    const originalPackage = String(platforms[0]?.packageName);
    platforms[0] = { ...platforms[0], packageName: 'com.example.ledger.renamed' };
    changed.app.domains = ['ledger-renamed.example.cn'];
    const change = await submitted(
      `/v1/registrations/${encodeURIComponent(number)}/changes`,
      { form: changed },
      'life-change',
    );
    const afterChange = await driveToCompletion(change, APP_PRINCIPAL);
    expect(afterChange).toMatchObject({ kind: 'change', registrationNumber: number });
    filings.push(change);
    const renamed = await publicServiceWhen(
      number,
      (service) => JSON.stringify(service?.identifiers ?? {}).includes('com.example.ledger.renamed'),
      'showing the changed package',
    );
    expect(renamed).toMatchObject({
      status: 'active',
      identifiers: { domains: ['ledger-renamed.example.cn'] },
    });
    // The auditor still sees the first version, each version with the filing that made it.
    const audit = await call('GET', `/v1/audit/services/${encodeURIComponent(number)}`, 'auditor');
    const versions = audit.json.versions as Array<{ version: number; filingId: string; identifiers: Json }>;
    expect(versions.map(({ version, filingId }) => ({ version, filingId }))).toEqual([
      { version: 1, filingId: filings[0] },
      { version: 2, filingId: change },
    ]);
    expect(JSON.stringify(versions[0]?.identifiers)).toContain(originalPackage);
    expect(JSON.stringify(versions[1]?.identifiers)).toContain('com.example.ledger.renamed');

    // The ISP stops serving it: access withdrawn, publicly.
    const withdrawn = await call(
      'POST',
      `/v1/registry/services/${encodeURIComponent(number)}/access-withdrawals`,
      'aliyun',
      { reason: '用户停止使用云服务' },
      'aliyun-withdrawal-1',
    );
    expect(withdrawn.status).toBe(201);
    await publicServiceWhen(number, (service) => service?.status === 'access_withdrawn', 'access withdrawn');

    // A new access through another ISP: active again.
    const access = { ...form.access, ispName: ANOTHER_ISP };
    const newAccess = await submitted(
      `/v1/registrations/${encodeURIComponent(number)}/accesses`,
      { access },
      'life-access',
    );
    expect(await driveToCompletion(newAccess, APP_PRINCIPAL)).toMatchObject({ kind: 'new_access' });
    filings.push(newAccess);
    await publicServiceWhen(number, (service) => service?.status === 'active', 'active again');

    // Cancelled: final, with its date; the package filed again gets a new number.
    const cancellation = await submitted(
      `/v1/registrations/${encodeURIComponent(number)}/cancellation`,
      { reasons: '应用停止运营' },
      'life-cancel',
    );
    await driveToCompletion(cancellation, APP_PRINCIPAL);
    filings.push(cancellation);
    const cancelled = await publicServiceWhen(
      number,
      (service) => service?.status === 'cancelled',
      'cancelled',
    );
    expect(cancelled?.cancelledOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const again = await driveToCompletion(
      await submitted('/v1/filings', changed, 'life-again'),
      APP_PRINCIPAL,
    );
    filings.push(String(again.filingId));
    expect(again.registrationNumber).not.toBe(number);
    const nOf = (serviceNumber: string) => Number(/-(\d+)[A-Z]?$/.exec(serviceNumber)?.[1]);
    expect(nOf(String(again.registrationNumber))).toBeGreaterThan(nOf(number));

    for (const filingId of filings) await expectAuditVerified(filingId);
    const verifyAll = await runIcp(['audit', 'verify', '--all'], env());
    expect({ code: verifyAll.code, stdout: verifyAll.stdout }).toEqual({
      code: 0,
      stdout: expect.any(String),
    });
  });

  it('cancels a subject with all its services in one transition, and refuses a change of province or certificate at submission', async () => {
    // An operator of its own: cancelling it must not touch the services of the test before.
    const operator = { name: '广州市注销示例科技有限公司', creditCode: uscc(8101) };
    const appForm = appFormOf('subject-a', operator);
    const app = await driveToCompletion(
      await submitted('/v1/filings', appForm, 'subject-app'),
      APP_PRINCIPAL,
    );
    const miniForm = appFormOf('subject-b', operator);
    const mini = await driveToCompletion(
      await submitted('/v1/filings', miniForm, 'subject-app-2'),
      APP_PRINCIPAL,
    );
    const subjectNumber = String(app.registrationNumber).replace(/-\d+[A-Z]?$/, '');

    const started = await filingsStarted();
    const events = await eventCount();
    const moved = structuredClone(appForm);
    moved.operator = { ...moved.operator, province: '310000' };
    const changePath = `/v1/registrations/${encodeURIComponent(String(app.registrationNumber))}/changes`;
    const refusedProvince = await call('POST', changePath, 'wechat', { form: moved }, 'move-province');
    expect(refusedProvince.status).toBe(400);
    expect(refusedProvince.json.errors).toEqual([
      expect.objectContaining({ path: 'form.operator.province', rule: 'immutable_on_change' }),
    ]);
    const recertified = structuredClone(appForm);
    recertified.operator = { ...recertified.operator, creditCode: uscc(8102) };
    const refusedCertificate = await call(
      'POST',
      changePath,
      'wechat',
      { form: recertified },
      'move-certificate',
    );
    expect(refusedCertificate.status).toBe(400);
    expect(refusedCertificate.json.errors).toEqual([
      expect.objectContaining({ path: 'form.operator.creditCode', rule: 'immutable_on_change' }),
    ]);
    expect({ workflows: await filingsStarted(), events: await eventCount() }).toEqual({
      workflows: started,
      events,
    });

    const cancellation = await submitted(
      `/v1/subjects/${encodeURIComponent(subjectNumber)}/cancellation`,
      { reasons: '主体注销' },
      'subject-cancel',
    );
    const done = await driveToCompletion(cancellation, OPERATOR_PRINCIPAL);
    expect(done).toMatchObject({ kind: 'cancellation' });

    const log = new SqliteEventLog(join(system.dataDir, 'events.sqlite'));
    try {
      const applied = (await log.readStream(filingStreamId(cancellation))).filter(
        (event) => event.type === 'FilingAppliedToRegistry',
      );
      expect(applied).toHaveLength(1);
      expect((applied[0]?.data as { serviceNumbers: string[] }).serviceNumbers.sort()).toEqual(
        [String(app.registrationNumber), String(mini.registrationNumber)].sort(),
      );
    } finally {
      await log.close();
    }
    for (const number of [app.registrationNumber, mini.registrationNumber]) {
      await publicServiceWhen(
        String(number),
        (service) => service?.status === 'cancelled',
        'cancelled with its subject',
      );
    }
    await expectAuditVerified(cancellation);
  });

  it('lets the platform fix a filing in flight: a new mobile after failed codes, a resent code, a bureau return', async () => {
    const form = appFormOf('fixes');
    const id = await submitted('/v1/filings', form, 'fixes-new');
    await waitForStatus(id, 'platform_review');
    expect(
      (await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', { decision: 'approve' })).status,
    ).toBe(200);
    await waitForStatus(id, 'sms_verification');

    // A resend kills the first code; five wrong answers return the filing to the platform.
    const firstCode = await latestCode(APP_PRINCIPAL.mobile);
    expect((await call('POST', `/v1/filings/${id}/sms-resend`, 'wechat', {}, 'fixes-resend')).status).toBe(
      200,
    );
    const resent = await eventually(
      () => latestCode(APP_PRINCIPAL.mobile),
      (code) => code !== firstCode,
      'a new code',
    );
    const stale = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code: firstCode,
      idLast6: APP_PRINCIPAL.idLast6,
    });
    expect({ status: stale.status, attemptsLeft: stale.json.attemptsLeft }).toEqual({
      status: 422,
      attemptsLeft: 4,
    });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const wrong = String((Number(resent) + 1 + attempt) % 1_000_000).padStart(6, '0');
      await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
        code: wrong,
        idLast6: APP_PRINCIPAL.idLast6,
      });
    }
    await waitForStatus(id, 'returned_to_platform');

    // The mobile was wrong: corrected, and the next code goes to the new number.
    const newMobile = '13500135000';
    const corrected = structuredClone(form);
    corrected.appPrincipal = { ...(form.appPrincipal as Json), mobile: newMobile };
    expect(
      (await call('POST', `/v1/filings/${id}/correction`, 'wechat', { form: corrected }, 'fixes-mobile'))
        .status,
    ).toBe(200);
    const afterCorrection = await eventually(
      async () => (await call('GET', `/v1/filings/${id}`, 'auditor')).json,
      (view) => view.status === 'platform_review' || view.status === 'sms_verification',
      'the corrected filing moving on',
    );
    if (afterCorrection.status === 'platform_review') {
      expect(
        (await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', { decision: 'approve' })).status,
      ).toBe(200);
    }
    await waitForStatus(id, 'sms_verification');
    const newCode = await eventually(
      () => latestCode(newMobile),
      (code) => code !== undefined,
      'a code to the new mobile',
    );
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code: newCode,
      idLast6: APP_PRINCIPAL.idLast6,
    });
    expect(verified).toMatchObject({ status: 200, json: { verified: true } });
    await waitForStatus(id, 'bureau_review');

    // The bureau returns it with per-field reasons; corrected, it comes back to the bureau's queue.
    const fieldReasons = [
      { path: 'app.serviceContent', problem: '服务内容过于笼统', suggestion: '写明具体功能' },
    ];
    const returned = await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', {
      decision: 'return',
      reasons: '请补充服务内容',
      fieldReasons,
    });
    expect(returned.status).toBe(200);
    await waitForStatus(id, 'returned_for_correction');
    const clarified = structuredClone(corrected);
    clarified.app = {
      ...corrected.app,
      serviceContent: '个人记账：收支记录、预算提醒、分类统计、报表导出与云端备份。',
    };
    expect(
      (await call('POST', `/v1/filings/${id}/correction`, 'wechat', { form: clarified }, 'fixes-content'))
        .status,
    ).toBe(200);
    const done = await (async () => {
      await waitForStatus(id, 'platform_review');
      expect(
        (await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', { decision: 'approve' })).status,
      ).toBe(200);
      await waitForStatus(id, 'sms_verification');
      const code = await latestCode(newMobile);
      expect(
        (
          await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
            code,
            idLast6: APP_PRINCIPAL.idLast6,
          })
        ).json,
      ).toMatchObject({ verified: true });
      return waitForStatus(id, 'bureau_review');
    })();
    expect(done.status).toBe('bureau_review');
    const queue = await eventually(
      async () => (await call('GET', '/v1/bureau/queue', 'guangdong')).json,
      (page) => (page.items as Json[]).some((item) => item.filingId === id),
      'the corrected filing in the bureau queue',
    );
    expect((queue.items as Json[]).filter((item) => item.filingId === id)).toHaveLength(1);
    await expectAuditVerified(id);
  });
});
