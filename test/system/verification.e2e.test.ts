import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { type ImportSubjectLine, uscc, website } from '../support/registry-import-lines';
import { apiCaller, eventually, latestSmsCode, statusWaiter } from './api-caller';
import { isolatedEnv, runIcp } from './icp-process';
import { type StartedSystem, startSystem } from './started-system';

type Json = Record<string, unknown>;
type Platform = {
  os: string;
  packageName?: string;
  bundleId?: string;
  signatureMd5?: string;
  signatureSha1?: string;
};
type CatalogueLine = Record<string, string>;
interface Expected {
  item: CatalogueLine;
  status: string;
  serviceNumber?: string;
}

/** Who the 12381 SMS goes to in the app fixture. */
const APP_PRINCIPAL = { mobile: '+8613900139000', idLast6: '150043' };
/** Websites imported as registered before this system: the bulk of the catalogue. */
const IMPORTED = 980;
const NEVER_REGISTERED = 13;

/** The app fixture as a service of its own (see withDistinctIdentifiers). */
function appFormOf(tag: string): Json {
  return withDistinctIdentifiers(loadValidForm('valid-app'), tag);
}

function platformsOf(form: Json): Platform[] {
  return (form.app as { platforms: Platform[] }).platforms;
}

/** The catalogue lines that ask about an app's packages and bundles, each with its own signing key. */
function appItems(form: Json): CatalogueLine[] {
  return platformsOf(form).map((platform): CatalogueLine =>
    platform.packageName !== undefined
      ? { packageName: platform.packageName, signatureMd5: String(platform.signatureMd5) }
      : { bundleId: String(platform.bundleId), signatureSha1: String(platform.signatureSha1) },
  );
}

/** A package or a domain no one registered. */
function neverRegistered(index: number): CatalogueLine {
  return index % 2 === 0
    ? { packageName: `com.never.registered.app${index}`, signatureMd5: 'ab'.repeat(16) }
    : { domain: `never-${index}.unregistered.example.cn` };
}

/** One importable subject with one website, by index. */
function importedSubject(index: number): ImportSubjectLine {
  const subjectNumber = `粤ICP备2020${String(index + 1).padStart(6, '0')}号`;
  return {
    certificateType: 'uscc',
    certificateNumber: uscc(index + 20_000),
    operatorName: `已备案网站公司 ${index}`,
    operatorNature: 'enterprise',
    subjectNumber,
    websites: [website(subjectNumber, 1, `site-${index}.verify.example.cn`)],
  };
}

interface FiledApp {
  form: Json;
  serviceNumber: string;
}

/**
 * The catalogue a store checks, each item with the answer it must get: the imported websites, the listed
 * app's package and bundle, both under another signing key, the withdrawn and the cancelled app, and
 * identifiers no one registered.
 */
function expectedCatalogue(
  subjects: readonly ImportSubjectLine[],
  apps: { listed: FiledApp; withdrawn: FiledApp; cancelled: FiledApp },
): Expected[] {
  const [listedPackage, listedBundle] = appItems(apps.listed.form);
  return [
    ...subjects.map((subject) => ({
      item: { domain: String(subject.websites[0]?.domains[0]) },
      status: 'registered',
      serviceNumber: subject.websites[0]?.serviceNumber,
    })),
    ...appItems(apps.listed.form).map((item) => ({
      item,
      status: 'registered',
      serviceNumber: apps.listed.serviceNumber,
    })),
    // A repackaged app: the registered package name, another signing key; named with the service
    // the identifier is registered to.
    {
      item: { ...listedPackage, signatureMd5: '0123456789ABCDEF0123456789ABCDEF' } as CatalogueLine,
      status: 'identifier_mismatch',
      serviceNumber: apps.listed.serviceNumber,
    },
    {
      item: { ...listedBundle, signatureSha1: '0123456789ABCDEF0123456789ABCDEF01234567' } as CatalogueLine,
      status: 'identifier_mismatch',
      serviceNumber: apps.listed.serviceNumber,
    },
    {
      item: appItems(apps.withdrawn.form)[0] as CatalogueLine,
      status: 'access_withdrawn',
      serviceNumber: apps.withdrawn.serviceNumber,
    },
    {
      item: appItems(apps.cancelled.form)[0] as CatalogueLine,
      status: 'cancelled',
      serviceNumber: apps.cancelled.serviceNumber,
    },
    ...Array.from({ length: NEVER_REGISTERED }, (_, index) => ({
      item: neverRegistered(index),
      status: 'not_registered',
    })),
  ];
}

describe('third parties verifying against the registry, over a started system (`icp start`)', () => {
  let system: StartedSystem;
  const tokens: Record<string, string> = {};
  const call = apiCaller(() => system, tokens);
  const env = () => isolatedEnv({ ICP_DATA_DIR: system.dataDir, TEMPORAL_PORT: String(system.temporalPort) });

  const waitForStatus = statusWaiter(call);
  const latestCode = (mobile: string) => latestSmsCode(env(), mobile);

  /** Submitted by the platform, then platform approval, the 12381 check, bureau approval: completed. */
  async function filedToCompletion(path: string, body: unknown, key: string): Promise<Json> {
    const created = await call('POST', path, 'wechat', body, key);
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
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code: await latestCode(APP_PRINCIPAL.mobile),
      idLast6: APP_PRINCIPAL.idLast6,
    });
    expect(verified).toMatchObject({ status: 200, json: { verified: true } });
    await waitForStatus(id, 'bureau_review');
    expect(
      (await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', { decision: 'approve' })).status,
    ).toBe(200);
    return waitForStatus(id, 'completed');
  }

  const verifyOne = (item: CatalogueLine) =>
    call('GET', `/v1/verify?${new URLSearchParams(item).toString()}`, 'store');

  /** Waits until the registry's read side answers `status` for the item (it follows the log). */
  const answersWhen = (item: CatalogueLine, status: string) =>
    eventually(
      () => verifyOne(item),
      (answer) => answer.json.status === status,
      `${JSON.stringify(item)} → ${status}`,
    );

  beforeAll(async () => {
    system = await startSystem('verification-e2e');
    const issue = async (name: string, ...args: string[]) => {
      const result = await runIcp(['token', ...args], env());
      expect(result.code).toBe(0);
      tokens[name] = result.stdout.trim();
    };
    await issue('wechat', '--role', 'platform', '--platform', 'wechat');
    await issue('guangdong', '--role', 'bureau', '--province', '440000');
    await issue('auditor', '--role', 'auditor');
    await issue('aliyun', '--role', 'isp', '--isp-name', '阿里云计算有限公司');
    await issue('store', '--role', 'store', '--org', 'huawei-appgallery');
    await issue('device', '--role', 'device_maker', '--org', 'example-phones');
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Set by the first test, read by the later ones: the listed app (registered, active), the catalogue. */
  let listed: FiledApp | undefined;
  let catalogue: Expected[] = [];

  it('answers a store’s catalogue of 1,000 items, each with the status the registry gives it (`icp verify --json`)', async () => {
    const subjects = Array.from({ length: IMPORTED }, (_, index) => importedSubject(index));
    const importFile = join(system.dataDir, 'imported.jsonl');
    writeFileSync(importFile, subjects.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const imported = await runIcp(['registry', 'import', importFile], env());
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

    const listedForm = appFormOf('listed');
    const withdrawnForm = appFormOf('withdrawn');
    const cancelledForm = appFormOf('cancelled');
    const numberOf = async (form: Json, key: string) =>
      String((await filedToCompletion('/v1/filings', form, key)).registrationNumber);
    const listedNumber = await numberOf(listedForm, 'verify-listed');
    const withdrawnNumber = await numberOf(withdrawnForm, 'verify-withdrawn');
    const cancelledNumber = await numberOf(cancelledForm, 'verify-cancelled');
    listed = { form: listedForm, serviceNumber: listedNumber };

    const withdrawal = await call(
      'POST',
      `/v1/registry/services/${encodeURIComponent(withdrawnNumber)}/access-withdrawals`,
      'aliyun',
      { reason: '用户停止使用云服务' },
      'verify-withdrawal',
    );
    expect(withdrawal.status).toBe(201);
    await filedToCompletion(
      `/v1/registrations/${encodeURIComponent(cancelledNumber)}/cancellation`,
      { reasons: '应用停止运营' },
      'verify-cancellation',
    );

    const expected = expectedCatalogue(subjects, {
      listed: { form: listedForm, serviceNumber: listedNumber },
      withdrawn: { form: withdrawnForm, serviceNumber: withdrawnNumber },
      cancelled: { form: cancelledForm, serviceNumber: cancelledNumber },
    });
    expect(expected).toHaveLength(1_000);
    catalogue = expected;

    // The registry's read side follows the log: wait for the last of each kind of change.
    await answersWhen(expected[IMPORTED - 1]?.item as CatalogueLine, 'registered');
    await answersWhen(appItems(withdrawnForm)[0] as CatalogueLine, 'access_withdrawn');
    await answersWhen(appItems(cancelledForm)[0] as CatalogueLine, 'cancelled');

    const catalogueFile = join(system.dataDir, 'catalogue.jsonl');
    writeFileSync(catalogueFile, expected.map(({ item }) => JSON.stringify(item)).join('\n') + '\n');
    const run = await runIcp(
      ['verify', catalogueFile, '--json', '--api', system.base, '--token', tokens.store ?? ''],
      env(),
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(run.stdout) as { counts: Record<string, number>; items: Json[] };
    expect(report.items).toHaveLength(expected.length);
    const seen = report.items.map((answer) => ({
      line: answer.line,
      status: answer.status,
      number: answer.serviceNumber,
    }));
    const wanted = expected.map(({ status, serviceNumber }, index) => ({
      line: index + 1,
      status,
      number: serviceNumber,
    }));
    expect(seen).toEqual(wanted);
    expect(report.counts).toEqual({
      registered: IMPORTED + appItems(listedForm).length,
      not_registered: NEVER_REGISTERED,
      identifier_mismatch: 2,
      cancelled: 1,
      access_withdrawn: 1,
    });
    console.info(
      `verification: a catalogue of ${expected.length} items checked by a store: ${Object.entries(
        report.counts,
      )
        .map(([status, n]) => `${status}×${n}`)
        .join(', ')}`,
    );
  });

  it('answers a batch of 10,000 items in one request, over the 256 KiB that bounds other bodies', async () => {
    if (catalogue.length === 0) throw new Error('needs the catalogue of the first test');
    const batch = Array.from({ length: 10 }, () => catalogue).flat();
    const body = JSON.stringify({ items: batch.map(({ item }) => item) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    const answer = await call('POST', '/v1/verify/batch', 'store', JSON.parse(body));
    expect(answer.status).toBe(200);
    const statuses = (answer.json.items as Json[]).map((result) => result.status);
    expect(statuses).toEqual(batch.map(({ status }) => status));
    console.info(
      `verification: one batch of ${batch.length} items (${Buffer.byteLength(body)} bytes) answered item by item`,
    );
  });

  it('gives a device maker a signed answer it verifies offline with the published key; a tampered one fails', async () => {
    if (!listed) throw new Error('needs the listed app of the test before');
    const item = appItems(listed.form)[0] as CatalogueLine;
    const signed = await fetch(`${system.base}/v1/verify?${new URLSearchParams(item).toString()}`, {
      headers: { authorization: `Bearer ${tokens.device}`, accept: 'application/jose' },
    });
    expect({ status: signed.status, type: signed.headers.get('content-type') }).toEqual({
      status: 200,
      type: expect.stringMatching(/^application\/jose/),
    });
    const jws = (await signed.text()).trim();
    const jwks = await fetch(`${system.base}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const jwksFile = join(system.dataDir, 'jwks.json');
    writeFileSync(jwksFile, await jwks.text());
    const answerFile = join(system.dataDir, 'answer.jws');
    writeFileSync(answerFile, jws);

    const checked = await runIcp(['verify-answer', answerFile, '--jwks', jwksFile], env());
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({
      status: 'registered',
      serviceNumber: listed.serviceNumber,
    });

    // The same answer claiming another service: its signature no longer holds.
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const claimed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    const forged = Buffer.from(
      JSON.stringify({ ...claimed, serviceNumber: '粤ICP备2020000001号-9A' }),
    ).toString('base64url');
    const tamperedFile = join(system.dataDir, 'tampered.jws');
    writeFileSync(tamperedFile, `${header}.${forged}.${signature}`);
    const tampered = await runIcp(['verify-answer', tamperedFile, '--jwks', jwksFile], env());
    expect({ code: tampered.code, stdout: tampered.stdout }).toEqual({ code: 1, stdout: '' });
    expect(tampered.stderr).toContain('bad_signature');
    console.info(
      `verification: a signed answer for ${listed.serviceNumber} verified offline against the published JWKS; a tampered one refused (bad_signature)`,
    );
  });
});
