import { createTokenVerifier } from '../../../infra/auth/token-verifier';
import { type IcpConfig, loadConfig } from '../../../infra/config/config';
import { readConfiguredOutbox } from '../../../infra/notify/open-outbox';
import type { CliCommand, CliIo } from '../command';
import demoForm from '../demo/demo-form.json';

const POLL_MS = 200;
const STAGE_TIMEOUT_MS = 60_000;

class DemoError extends Error {}

/** `icp demo`: one filing through every stage over HTTP against a running system, as its users would. */
export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'icp demo',
  summary: 'drive one filing through every stage of a running system over HTTP',
  async run(_args, io) {
    const config = loadConfig();
    try {
      const number = await runDemo(config, io);
      io.out(`registration number issued: ${number}`);
      return 0;
    } catch (error) {
      io.err(`icp demo: ${(error as Error).message}`);
      return 1;
    }
  },
};

/**
 * The demo form with this run's app name and identifiers: a package name or bundle id already in a
 * filing is refused at submission, so each run files a service of its own.
 */
function demoFormOfRun(now: number) {
  const run = `demo${now.toString(36)}`;
  const platforms = demoForm.app.platforms.map((platform) =>
    platform.os === 'ios'
      ? { ...platform, bundleId: `${platform.bundleId}.${run}` }
      : { ...platform, packageName: `${platform.packageName}.${run}` },
  );
  return { ...demoForm, app: { ...demoForm.app, name: `${demoForm.app.name}${now % 100_000}`, platforms } };
}

async function runDemo(config: IcpConfig, io: CliIo): Promise<string> {
  const base = `http://${config.http.host}:${config.http.port}`;
  const tokens = createTokenVerifier({ dataDir: config.dataDir });
  const platform = await tokens.issue({
    sub: 'demo-platform-reviewer',
    role: 'platform',
    platformId: 'demo-platform',
  });
  const bureau = await tokens.issue({
    sub: 'demo-bureau-officer',
    role: 'bureau',
    province: demoForm.operator.province,
  });
  const api = (method: string, path: string, token?: string, body?: unknown, key?: string) =>
    call(base, method, path, token, body, key);

  const form = demoFormOfRun(Date.now());
  const created = await api('POST', '/v1/filings', platform, form, `demo-${Date.now()}`);
  const id = String(created.filingId);
  io.out(`1. platform submitted filing ${id} for app 「${form.app.name}」`);

  const review = await waitFor(api, id, platform, 'platform_review');
  io.out(`2. platform review started, due ${String(review.dueBy)}`);
  await api('POST', `/v1/filings/${id}/platform-review`, platform, { decision: 'approve' });
  io.out('3. platform approved');

  await waitFor(api, id, platform, 'sms_verification');
  const [sms] = await readConfiguredOutbox(config, { to: form.appPrincipal.mobile, limit: 1 });
  const code = sms && /(\d{6})/.exec(sms.text)?.[1];
  if (!code) throw new DemoError('no 12381 SMS in the outbox: is this system using the embedded outbox?');
  io.out('4. 12381 SMS sent; the applicant read the code (see `icp outbox`)');
  await api('POST', `/v1/filings/${id}/sms-verification`, undefined, {
    code,
    idLast6: form.appPrincipal.idNumber.slice(-6),
  });
  io.out('5. applicant verified the code');

  const bureauReview = await waitFor(api, id, bureau, 'bureau_review');
  io.out(`6. provincial bureau review started, due ${String(bureauReview.dueBy)}`);
  await api('POST', `/v1/filings/${id}/bureau-review`, bureau, { decision: 'approve' });
  io.out('7. bureau approved');

  const done = await waitFor(api, id, platform, 'completed');
  io.out('8. number issued, record published, applicant notified');
  return String(done.registrationNumber);
}

type Api = (method: string, path: string, token?: string, body?: unknown) => Promise<Record<string, unknown>>;

async function waitFor(
  api: Api,
  id: string,
  token: string,
  status: string,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + STAGE_TIMEOUT_MS;
  for (;;) {
    const view = await api('GET', `/v1/filings/${id}`, token);
    if (view.status === status) return view;
    if (Date.now() > deadline)
      throw new DemoError(`filing ${id} did not reach ${status} (it is ${String(view.status)})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function call(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
  idempotencyKey?: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new DemoError(
      `no system answers at ${base}: start it with \`npm start\` (same ICP_DATA_DIR and PORT)`,
    );
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new DemoError(
      `${method} ${path} answered ${response.status}: ${String(json.detail ?? json.title ?? '')}`,
    );
  }
  return json;
}
