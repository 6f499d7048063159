import { join } from 'node:path';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { filingStreamId } from '../../events/filing/stream-ids';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { apiCaller } from './api-caller';
import { isolatedEnv, runIcp } from './icp-process';
import { writeFileSync } from 'node:fs';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { type ImportSubjectLine, uscc, website } from '../support/registry-import-lines';
import { type StartedSystem, startSystem } from './started-system';

const OPERATOR_A = { name: '深圳市示例账本科技有限公司', creditCode: '91440300MA5G2K8L3X' };
const OPERATOR_B_CREDIT_CODE = '91310104MA1FR6TQ4G';

/** A fixture filed under a subject number alone: no operator sections, its certificate. */
function miniProgramUnder(
  subjectNumber: string,
  creditCode: string,
  fixture: 'valid-mini-program' | 'valid-app' = 'valid-mini-program',
): Record<string, unknown> {
  const form = loadValidForm(fixture);
  delete form.operator;
  delete form.operatorPrincipal;
  return {
    ...form,
    existingSubjectNumber: subjectNumber,
    operatorCertificate: { type: 'uscc', number: creditCode },
  };
}

describe('the registry behind issuance, over a started system (`icp start`)', () => {
  let system: StartedSystem;
  const tokens: Record<string, string> = {};

  const call = apiCaller(() => system, tokens);

  const waitForStatus = async (id: string, status: string): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const view = (await call('GET', `/v1/filings/${id}`, 'auditor')).json;
      if (view.status === status) return view;
      if (Date.now() > deadline)
        throw new Error(`filing ${id} did not reach ${status} (is ${String(view.status)})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const env = () => isolatedEnv({ ICP_DATA_DIR: system.dataDir });

  async function fileToIssuance(form: Record<string, unknown>, key: string, mobile: string, idLast6: string) {
    const created = await call('POST', '/v1/filings', 'wechat', form, key);
    expect({ status: created.status, errors: created.json.errors }).toEqual({
      status: 202,
      errors: undefined,
    });
    const id = String(created.json.filingId);
    await waitForStatus(id, 'platform_review');
    expect(
      (await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', { decision: 'approve' })).status,
    ).toBe(200);
    await waitForStatus(id, 'sms_verification');
    const outbox = await runIcp(['outbox', '--to', mobile, '--json'], env());
    const code = /核验码为(\d{6})/.exec(
      (JSON.parse(outbox.stdout) as Array<{ text: string }>)[0]?.text ?? '',
    )?.[1];
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, { code, idLast6 });
    expect(verified).toMatchObject({ status: 200, json: { verified: true } });
    await waitForStatus(id, 'bureau_review');
    expect(
      (await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', { decision: 'approve' })).status,
    ).toBe(200);
    const done = await waitForStatus(id, 'completed');
    return { id, registrationNumber: done.registrationNumber };
  }

  const filingsStarted = async (): Promise<number> => {
    let count = 0;
    for await (const _ of system.temporal.workflow.list({ query: "WorkflowType = 'filingWorkflow'" }))
      count += 1;
    return count;
  };

  beforeAll(async () => {
    system = await startSystem('registry-e2e');
    const issue = async (name: string, ...args: string[]) => {
      const result = await runIcp(['token', ...args], env());
      expect(result.code).toBe(0);
      tokens[name] = result.stdout.trim();
    };
    await issue('wechat', '--role', 'platform', '--platform', 'wechat');
    await issue('guangdong', '--role', 'bureau', '--province', '440000');
    await issue('auditor', '--role', 'auditor');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('issues a subject’s services in one sequence and refuses its number to another operator at submission', async () => {
    const subjectNumber = `粤ICP备${chinaDateOfEpochMs(Date.now()).slice(0, 4)}000001号`;

    const first = await fileToIssuance(loadValidForm('valid-app'), 'first-app', '+8613900139000', '150043');
    expect(first.registrationNumber).toBe(`${subjectNumber}-1A`);

    const mini = await fileToIssuance(
      miniProgramUnder(subjectNumber, OPERATOR_A.creditCode),
      'mini-under-a',
      '13600136000',
      '180020',
    );
    expect(mini.registrationNumber).toBe(`${subjectNumber}-2X`);

    const started = await filingsStarted();
    const claimByB = miniProgramUnder(subjectNumber, OPERATOR_B_CREDIT_CODE);
    for (const attempt of [1, 2]) {
      const refused = await call('POST', '/v1/filings', 'wechat', claimByB, 'mini-under-b');
      expect({ attempt, status: refused.status, type: refused.type }).toEqual({
        attempt,
        status: 409,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(refused.json.errors).toEqual([
        { path: 'existingSubjectNumber', rule: 'subject_number_not_registered', message: expect.any(String) },
      ]);
      expect(JSON.stringify(refused.json)).not.toContain(OPERATOR_B_CREDIT_CODE);
    }
    expect(await filingsStarted()).toBe(started);

    const log = new SqliteEventLog(join(system.dataDir, 'events.sqlite'));
    try {
      const [service] = await log.readStream(serviceStreamId(`${subjectNumber}-2X`));
      expect(service?.data).toMatchObject({
        serviceType: 'mini_program',
        subjectNumber,
        operatorName: OPERATOR_A.name,
        identifiers: { miniProgram: { hostApp: expect.any(String), miniProgramId: expect.any(String) } },
        filingId: mini.id,
        source: 'filing',
      });
      const published = (await log.readStream(filingStreamId(mini.id))).find(
        (event) => event.type === 'RegistrationPublished',
      );
      expect(published?.data).toMatchObject({ operatorName: OPERATOR_A.name });
      const all = JSON.stringify(await log.readAll());
      expect(all).not.toContain('"subject:');
    } finally {
      await log.close();
    }
  });

  it('continues an imported subject’s sequence after its website, and files under a licence-style number', async () => {
    const imported = (index: number, subjectNumber: string): ImportSubjectLine => ({
      certificateType: 'uscc',
      certificateNumber: uscc(index),
      operatorName: `已备案网站公司 ${index}`,
      operatorNature: 'enterprise',
      subjectNumber,
      websites: [website(subjectNumber, 1, `imported-${index}.example.cn`)],
    });
    const icpSubject = imported(7001, '粤ICP备2021070001号');
    const licenceSubject = imported(7002, '粤B2-20090059');
    const file = join(system.dataDir, 'registrants.jsonl');
    writeFileSync(file, [icpSubject, licenceSubject].map((line) => JSON.stringify(line)).join('\n') + '\n');
    const run = await runIcp(['registry', 'import', file], env());
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

    const app = withDistinctIdentifiers(
      miniProgramUnder(icpSubject.subjectNumber, icpSubject.certificateNumber, 'valid-app'),
      'imported-app',
    );
    const firstApp = await fileToIssuance(app, 'imported-app', '+8613900139000', '150043');
    expect(firstApp.registrationNumber).toBe(`${icpSubject.subjectNumber}-2A`);

    const mini = withDistinctIdentifiers(
      miniProgramUnder(licenceSubject.subjectNumber, licenceSubject.certificateNumber),
      'licence-mini',
    );
    const licenceMini = await fileToIssuance(mini, 'licence-mini', '13600136000', '180020');
    expect(licenceMini.registrationNumber).toBe('粤B2-20090059-2X');

    // The public lookup answers from the read model, which follows the log.
    const path = `/v1/public/services?subjectNumber=${encodeURIComponent(licenceSubject.subjectNumber)}`;
    const deadline = Date.now() + 15_000;
    let found: Array<{ serviceNumber: string; operatorName: string }> = [];
    while (found.length < 2 && Date.now() < deadline) {
      const lookup = await call('GET', path);
      expect(lookup.status).toBe(200);
      found = lookup.json.items as typeof found;
      if (found.length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found.map((item) => [item.serviceNumber, item.operatorName])).toEqual([
      ['粤B2-20090059-1', licenceSubject.operatorName],
      ['粤B2-20090059-2X', licenceSubject.operatorName],
    ]);
  });
});
