import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../infra/process/net';
import { loadValidForm, validFormPath } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { JSON_LOGS, jsonLogRecords } from '../support/json-log-lines';
import { IcpProcess, isolatedEnv, runIcp } from './icp-process';

const PERSONAL = ['440305198503120036', '110105199207150043', '150043', '13900139000', 'lisi@example.com'];
/** The SMS codes the system sent: personal data too, scanned for at the end. */
const sentCodes: string[] = [];

describe('HTTP API over a started system (`icp start`)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-api-e2e-'));
  let env: NodeJS.ProcessEnv;
  let system: IcpProcess;
  let base: string;
  let temporal: Client;
  let connection: Connection;
  const tokens: Record<string, string> = {};
  const bodies: string[] = [];
  const registered = { id: '', number: '' };

  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${tokens[token]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    bodies.push(text);
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      requestId: response.headers.get('x-request-id'),
      text,
      json: text && /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };

  const filingsStarted = async (): Promise<number> => {
    let count = 0;
    for await (const _ of temporal.workflow.list({ query: "WorkflowType = 'filingWorkflow'" })) count += 1;
    return count;
  };

  const waitForStatus = async (id: string, status: string): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while ((await call('GET', `/v1/filings/${id}`, 'auditor')).json.status !== status) {
      if (Date.now() > deadline) throw new Error(`filing did not reach ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    const port = await freePort();
    const temporalPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = isolatedEnv({
      ICP_DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
      ...JSON_LOGS,
    });
    system = new IcpProcess(['start'], env);
    await system.waitForOutput('Press Ctrl+C to stop.', 120_000);
    connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    temporal = new Client({ connection });
    const issue = async (name: string, ...args: string[]) => {
      const result = await runIcp(['token', ...args], env);
      expect(result.code).toBe(0);
      tokens[name] = result.stdout.trim();
    };
    await issue('wechat', '--role', 'platform', '--platform', 'wechat');
    await issue('alipay', '--role', 'platform', '--platform', 'alipay');
    await issue('guangdong', '--role', 'bureau', '--province', '440000');
    await issue('sichuan', '--role', 'bureau', '--province', '510000');
    await issue('auditor', '--role', 'auditor');
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an invalid form with every error and starts nothing', async () => {
    const before = await filingsStarted();
    const form = { ...loadValidForm('valid-app'), access: undefined, serviceType: 'website' };
    const response = await call('POST', '/v1/filings', 'wechat', form, { 'idempotency-key': 'bad-form' });

    expect(response.status).toBe(400);
    expect(response.type).toContain('application/problem+json');
    const paths = (response.json.errors as Array<{ path: string; rule: string }>).map(
      (e) => `${e.path}:${e.rule}`,
    );
    expect(paths).toEqual(expect.arrayContaining(['serviceType:invalid_choice', 'access:required']));
    expect(await filingsStarted()).toBe(before);
  });

  it('runs a filing through every stage, with each route answering each role and scope as the contract says', async () => {
    const form = JSON.parse(readFileSync(validFormPath('valid-app'), 'utf8')) as unknown;
    const created = await call('POST', '/v1/filings', 'wechat', form, { 'idempotency-key': 'filing-1' });
    expect(created.status).toBe(202);
    const id = String(created.json.filingId);
    expect(created.json).toMatchObject({
      status: expect.stringMatching(/^(submitted|platform_review)$/),
      links: { self: `/v1/filings/${id}` },
    });

    const again = await call('POST', '/v1/filings', 'wechat', form, { 'idempotency-key': 'filing-1' });
    expect(again).toMatchObject({ status: 202, json: { filingId: id } });
    const otherBody = await call('POST', '/v1/filings', 'wechat', loadValidForm('valid-mini-program'), {
      'idempotency-key': 'filing-1',
    });
    expect(otherBody.status).toBe(409);
    expect((await call('POST', '/v1/filings', 'guangdong', form, { 'idempotency-key': 'x' })).status).toBe(
      403,
    );
    expect((await call('POST', '/v1/filings', undefined, form, { 'idempotency-key': 'x' })).status).toBe(401);

    await waitForStatus(id, 'platform_review');
    const reads = Object.fromEntries(
      await Promise.all(
        ['wechat', 'alipay', 'guangdong', 'sichuan', 'auditor'].map(async (who) => [
          who,
          (await call('GET', `/v1/filings/${id}`, who)).status,
        ]),
      ),
    );
    expect(reads).toEqual({ wechat: 200, alipay: 404, guangdong: 200, sichuan: 404, auditor: 200 });
    expect((await call('GET', `/v1/filings/${id}`, 'wechat')).json).toMatchObject({
      filingId: id,
      status: 'platform_review',
      stage: 'platform_review',
      serviceType: 'app',
      province: '440000',
      appName: '示例记账',
      platformId: 'wechat',
      overdue: false,
      revision: 1,
      dueBy: expect.any(String),
    });

    const early = await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', { decision: 'approve' });
    expect(early).toMatchObject({ status: 409, json: { stage: 'platform_review' } });
    expect(
      (await call('POST', `/v1/filings/${id}/platform-review`, 'alipay', { decision: 'approve' })).status,
    ).toBe(404);
    expect(
      (await call('POST', `/v1/filings/${id}/platform-review`, 'auditor', { decision: 'approve' })).status,
    ).toBe(403);
    const noReasons = await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', {
      decision: 'reject',
    });
    expect(noReasons).toMatchObject({
      status: 400,
      json: { errors: [{ path: 'reasons', rule: 'required' }] },
    });
    const approved = await call(
      'POST',
      `/v1/filings/${id}/platform-review`,
      'wechat',
      { decision: 'approve' },
      { 'idempotency-key': 'pr-1' },
    );
    expect(approved.status).toBe(200);
    const replay = await call(
      'POST',
      `/v1/filings/${id}/platform-review`,
      'wechat',
      { decision: 'approve' },
      { 'idempotency-key': 'pr-1' },
    );
    expect(replay).toMatchObject({ status: 200, json: approved.json });

    await waitForStatus(id, 'sms_verification');
    const wrong = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code: '000000',
      idLast6: '000000',
    });
    expect(wrong).toMatchObject({ status: 422, json: { attemptsLeft: 4 } });
    expect(wrong.type).toContain('application/problem+json');
    const malformed = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code: '12',
      idLast6: 'abc',
    });
    expect(malformed.status).toBe(400);
    const outbox = await runIcp(['outbox', '--to', '+8613900139000', '--json'], env);
    const code = /核验码为(\d{6})/.exec(
      (JSON.parse(outbox.stdout) as Array<{ text: string }>)[0]?.text ?? '',
    )?.[1];
    if (code) sentCodes.push(code);
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code,
      idLast6: '150043',
    });
    expect(verified).toMatchObject({ status: 200, json: { verified: true } });

    await waitForStatus(id, 'bureau_review');
    expect(
      (await call('POST', `/v1/filings/${id}/bureau-review`, 'sichuan', { decision: 'approve' })).status,
    ).toBe(404);
    expect(
      (await call('POST', `/v1/filings/${id}/bureau-review`, 'wechat', { decision: 'approve' })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/v1/filings/${id}/bureau-review`, 'guangdong', { decision: 'approve' })).status,
    ).toBe(200);
    await waitForStatus(id, 'completed');

    const done = await call('GET', `/v1/filings/${id}`, 'wechat');
    expect(done.json.registrationNumber).toMatch(/^粤ICP备\d{10}号-1A$/);
    Object.assign(registered, { id, number: String(done.json.registrationNumber) });
    expect((await call('POST', `/v1/filings/${id}/withdrawal`, 'wechat', {})).status).toBe(409);
    expect((await call('POST', `/v1/filings/${id}/withdrawal`, 'alipay', {})).status).toBe(404);

    const events = await call('GET', `/v1/filings/${id}/events`, 'auditor');
    expect((events.json.events as Array<{ type: string; hash: string }>).map((e) => e.type).at(-1)).toBe(
      'ApplicantNotified',
    );
    expect((await call('GET', `/v1/filings/${id}/events`, 'wechat')).status).toBe(403);
  });

  it('gives auditors the completed filing’s history verified against the log and Temporal, and its timeline', async () => {
    const audit = await call('GET', `/v1/audit/filings/${registered.id}`, 'auditor');
    expect(audit.status).toBe(200);
    expect(audit.json).toMatchObject({
      filingId: registered.id,
      verdict: 'verified',
      status: 'completed',
      findings: [],
      temporal: { checked: true, workflowExecution: 'COMPLETED', workflowStatus: 'completed' },
    });
    expect(audit.json.events).toBeGreaterThanOrEqual(10);
    expect((audit.json.temporal as { appendsCompared: number }).appendsCompared).toBeGreaterThan(0);

    for (const lang of ['', '?lang=zh']) {
      const svg = await call('GET', `/v1/audit/filings/${registered.id}/timeline.svg${lang}`, 'auditor');
      expect(svg.status).toBe(200);
      expect(svg.type).toMatch(/^image\/svg\+xml/);
      expect(svg.text).toMatch(/^(<\?xml|<svg)/);
      expect(svg.text).toContain('</svg>');
    }
    const lang = await call('GET', `/v1/audit/filings/${registered.id}/timeline.svg?lang=fr`, 'auditor');
    expect(lang).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json') });
    const unknown = await call('GET', '/v1/audit/filings/9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f', 'auditor');
    expect(unknown).toMatchObject({ status: 404, json: { detail: 'filing not found' } });
  });

  it('refuses at submission a package name that is registered, or in an open filing, naming the holder only to its platform', async () => {
    type Conflict = { errors: Array<{ path: string; rule: string }>; conflicts?: unknown };
    const before = await filingsStarted();
    const paths = ['app.platforms.0.packageName', 'app.platforms.1.bundleId', 'app.platforms.2.packageName'];
    // The completed filing's own form: all three identifiers are registered under its number.
    const registeredForm = loadValidForm('valid-app');
    const own = await call('POST', '/v1/filings', 'wechat', registeredForm, {
      'idempotency-key': 'dup-registered',
    });
    expect(own.status).toBe(409);
    expect(own.type).toContain('application/problem+json');
    expect(own.json).toMatchObject({
      errors: paths.map((path) => ({ path, rule: 'identifier_registered' })),
      conflicts: paths.map((path) => ({ path, serviceNumber: registered.number })),
    });
    const other = await call('POST', '/v1/filings', 'alipay', registeredForm, {
      'idempotency-key': 'dup-registered',
    });
    expect(other.status).toBe(409);
    expect((other.json as Conflict).errors).toEqual(
      paths.map((path) => ({ path, rule: 'identifier_taken', message: expect.any(String) })),
    );
    expect(other.json).not.toHaveProperty('conflicts');
    expect(other.text).not.toContain(registered.number);
    expect(other.text).not.toContain(registered.id);

    // In flight: the first filing of a new service is open; a second one of the same service is refused.
    const newService = withDistinctIdentifiers(registeredForm, 'inflight');
    const first = await call('POST', '/v1/filings', 'wechat', newService, {
      'idempotency-key': 'dup-open-1',
    });
    expect(first.status).toBe(202);
    const openId = String(first.json.filingId);
    const again = await call('POST', '/v1/filings', 'wechat', newService, {
      'idempotency-key': 'dup-open-2',
    });
    expect(again).toMatchObject({
      status: 409,
      json: {
        errors: paths.map((path) => ({ path, rule: 'identifier_in_open_filing' })),
        conflicts: paths.map((path) => ({ path, filingId: openId })),
      },
    });
    const elsewhere = await call('POST', '/v1/filings', 'alipay', newService, {
      'idempotency-key': 'dup-open-3',
    });
    expect(elsewhere.status).toBe(409);
    expect((elsewhere.json as Conflict).errors.map((e) => e.rule)).toEqual(
      paths.map(() => 'identifier_taken'),
    );
    expect(elsewhere.text).not.toContain(openId);
    // The same submission sent again is still the same filing, not a duplicate of itself.
    const replay = await call('POST', '/v1/filings', 'wechat', newService, {
      'idempotency-key': 'dup-open-1',
    });
    expect(replay).toMatchObject({ status: 202, json: { filingId: openId } });
    expect(await filingsStarted()).toBe(before + 1);

    // Withdrawn, the filing holds nothing: the service may be filed again.
    expect((await call('POST', `/v1/filings/${openId}/withdrawal`, 'wechat', {})).status).toBe(200);
    await waitForStatus(openId, 'withdrawn');
    const refiled = await call('POST', '/v1/filings', 'alipay', newService, {
      'idempotency-key': 'dup-open-4',
    });
    expect(refiled.status).toBe(202);
    expect(await filingsStarted()).toBe(before + 2);
  });

  it('answers every route for every caller as the contract’s role and scope table says', async () => {
    const id = registered.id;
    const callers = ['none', 'wechat', 'alipay', 'guangdong', 'sichuan', 'auditor'] as const;
    type Caller = (typeof callers)[number];
    // On a completed filing of wechat in Guangdong: decisions that pass authorisation meet a closed filing (409).
    const routes: Array<[string, string, unknown, Record<Caller, number>]> = [
      [
        'GET',
        `/v1/filings/${id}`,
        undefined,
        { none: 401, wechat: 200, alipay: 404, guangdong: 200, sichuan: 404, auditor: 200 },
      ],
      [
        'GET',
        '/v1/filings',
        undefined,
        { none: 401, wechat: 200, alipay: 200, guangdong: 200, sichuan: 200, auditor: 200 },
      ],
      [
        'GET',
        `/v1/filings/${id}/events`,
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 403, sichuan: 403, auditor: 200 },
      ],
      [
        'POST',
        `/v1/filings/${id}/platform-review`,
        { decision: 'approve' },
        { none: 401, wechat: 409, alipay: 404, guangdong: 403, sichuan: 403, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/correction`,
        { form: loadValidForm('valid-app') },
        { none: 401, wechat: 409, alipay: 404, guangdong: 403, sichuan: 403, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/resubmission`,
        {},
        { none: 401, wechat: 409, alipay: 404, guangdong: 403, sichuan: 403, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/withdrawal`,
        {},
        { none: 401, wechat: 409, alipay: 404, guangdong: 403, sichuan: 403, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/sms-resend`,
        {},
        { none: 401, wechat: 409, alipay: 404, guangdong: 403, sichuan: 403, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/bureau-review`,
        { decision: 'approve' },
        { none: 401, wechat: 403, alipay: 403, guangdong: 409, sichuan: 404, auditor: 403 },
      ],
      [
        'POST',
        `/v1/filings/${id}/sms-verification`,
        { code: '123456', idLast6: '150043' },
        // Public and unauthenticated: a closed filing is no longer anyone's to verify, so it is not found.
        { none: 404, wechat: 404, alipay: 404, guangdong: 404, sichuan: 404, auditor: 404 },
      ],
      [
        'GET',
        '/v1/bureau/queue',
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 200, sichuan: 200, auditor: 403 },
      ],
      [
        'GET',
        `/v1/public/registrations?number=${encodeURIComponent(registered.number)}`,
        undefined,
        { none: 200, wechat: 200, alipay: 200, guangdong: 200, sichuan: 200, auditor: 200 },
      ],
      [
        'GET',
        '/v1/dashboard/sla',
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 200, sichuan: 200, auditor: 200 },
      ],
      [
        'GET',
        '/v1/dashboard/sla?province=440000',
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 200, sichuan: 403, auditor: 200 },
      ],
      [
        'GET',
        `/v1/audit/filings/${id}`,
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 403, sichuan: 403, auditor: 200 },
      ],
      [
        'GET',
        `/v1/audit/filings/${id}/timeline.svg`,
        undefined,
        { none: 401, wechat: 403, alipay: 403, guangdong: 403, sichuan: 403, auditor: 200 },
      ],
    ];
    for (const [method, path, body, expected] of routes) {
      const answered = {} as Record<Caller, number>;
      for (const caller of callers)
        answered[caller] = (await call(method, path, caller === 'none' ? undefined : caller, body)).status;
      expect({ route: `${method} ${path}`, answered }).toEqual({
        route: `${method} ${path}`,
        answered: expected,
      });
    }
  });

  it('lists filings, the bureau queue and public records from read models fed by the event log', async () => {
    const listed = async (who: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const page = await call('GET', '/v1/filings?limit=200', who);
        const item = (page.json.items as Array<Record<string, unknown>>).find(
          (f) => f.filingId === registered.id,
        );
        if (item?.status === 'completed' || Date.now() > deadline) return { page, item };
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const own = await listed('wechat');
    expect(own.page.status).toBe(200);
    expect(own.item).toMatchObject({
      status: 'completed',
      registrationNumber: registered.number,
      platformId: 'wechat',
    });
    expect((await listed('auditor')).item).toBeDefined();
    const others = await call('GET', '/v1/filings?limit=200', 'alipay');
    expect((others.json.items as Array<{ filingId: string }>).map((f) => f.filingId)).not.toContain(
      registered.id,
    );
    expect((await call('GET', '/v1/filings?status=bogus', 'auditor')).json.errors).toEqual([
      expect.objectContaining({ path: 'status', rule: 'invalid_choice' }),
    ]);
    expect((await call('GET', '/v1/filings?cursor=not-a-cursor', 'auditor')).status).toBe(400);

    const queue = await call('GET', '/v1/bureau/queue', 'guangdong');
    expect(queue.status).toBe(200);
    expect(Array.isArray(queue.json.items)).toBe(true);
    expect((await call('GET', '/v1/bureau/queue', 'wechat')).status).toBe(403);

    const found = await call(
      'GET',
      `/v1/public/registrations?number=${encodeURIComponent(registered.number)}`,
    );
    expect(found.json.items).toEqual([
      expect.objectContaining({
        registrationNumber: registered.number,
        appName: '示例记账',
        serviceType: 'app',
        province: '440000',
      }),
    ]);
    expect((await call('GET', '/v1/public/registrations')).status).toBe(400);

    const dashboard = await call('GET', '/v1/dashboard/sla', 'auditor');
    expect(dashboard.json).toMatchObject({ filings: expect.any(Number), open: expect.any(Number) });
    const closed = (dashboard.json.stages as Array<{ stage: string; filings: number }>).find(
      (figures) => figures.stage === 'closed',
    );
    expect(closed?.filings).toBeGreaterThanOrEqual(1);
    const sichuan = await call('GET', '/v1/dashboard/sla', 'sichuan');
    expect(sichuan.json).toMatchObject({ province: '510000', filings: expect.any(Number) });
    expect((await call('GET', '/v1/dashboard/sla?province=99', 'auditor')).json.errors).toEqual([
      expect.objectContaining({ path: 'province', rule: 'unknown_province' }),
    ]);
  });

  it('never puts personal data in a response outside the auditors’ event stream', () => {
    const outsideAudit = bodies.filter((body) => !body.includes('"events":['));
    for (const value of PERSONAL) expect(outsideAudit.filter((body) => body.includes(value))).toEqual([]);
  });

  it('logs each request once as a JSON line with its request id and the filing as correlation id, nothing personal', async () => {
    const answer = await call(
      'POST',
      `/v1/filings/${registered.id}/sms-verification?mobile=13900139000&email=lisi@example.com`,
      undefined,
      { code: '150043', idLast6: '150043', idNumber: '440305198503120036' },
      { 'x-applicant': '110105199207150043', 'x-request-id': 'e2e-pii-probe' },
    );
    expect(answer.requestId).toBe('e2e-pii-probe');
    // The line is written once the response is finished: it may reach the pipe after the answer.
    await system.waitForOutput('"requestId":"e2e-pii-probe"', 10_000);
    const records = jsonLogRecords(system.stdout);
    jsonLogRecords(system.stderr);
    expect(records.filter((record) => record.requestId === 'e2e-pii-probe')).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        method: 'POST',
        route: '/v1/filings/:id/sms-verification',
        status: answer.status,
        correlationId: registered.id,
      }),
    ]);
    // The worker's lines about the same filing carry the same correlation id.
    expect(
      records.some((record) => record.component === 'temporal' && record.correlationId === registered.id),
    ).toBe(true);
    const lines = `${system.stdout}${system.stderr}`.split('\n');
    for (const value of PERSONAL) expect(lines.filter((line) => line.includes(value))).toEqual([]);
  });

  it('`icp demo` drives a filing through every stage and prints the issued number', async () => {
    const demo = await runIcp(['demo'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout.trim().split('\n').at(-1)).toMatch(
      /^registration number issued: 粤ICP备\d{10}号-\d+A$/,
    );
  });

  it('serves the OpenAPI description, Prometheus metrics and health', async () => {
    const openapi = await call('GET', '/openapi.json');
    const paths = openapi.json.paths as Record<
      string,
      Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>
    >;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/filings',
        '/v1/filings/{id}',
        '/v1/filings/{id}/sms-verification',
        '/v1/audit/filings/{id}',
        '/v1/audit/filings/{id}/timeline.svg',
      ]),
    );
    for (const [path, operations] of Object.entries(paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        if (method === 'post')
          expect({ path, body: operation.requestBody !== undefined }).toEqual({ path, body: true });
        const success =
          operation.responses['200'] ?? operation.responses['201'] ?? operation.responses['202'];
        expect({ path, method, schema: success?.content !== undefined }).toEqual({
          path,
          method,
          schema: true,
        });
      }
    }
    const metrics = await fetch(`${base}/metrics`);
    expect(await metrics.text()).toMatch(
      /http_requests_total\{method="GET",route="\/v1\/filings\/:id",status="200"\}/,
    );
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('leaves no personal data in Temporal’s database, the system’s output or /metrics after all of the above', async () => {
    const temporalDb = ['temporal.sqlite', 'temporal.sqlite-wal']
      .map((file) => join(dataDir, file))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const found = [...PERSONAL, ...sentCodes].filter(
      (value) =>
        // Six-digit values would match by chance in megabytes of binary; the database is searched for the long ones.
        (value.length >= 11 && temporalDb.some((bytes) => bytes.includes(Buffer.from(value, 'utf8')))) ||
        system.stdout.includes(value) ||
        system.stderr.includes(value) ||
        metrics.includes(value),
    );
    console.info(
      `scanned ${temporalDb.length} Temporal database file(s) (${temporalDb.reduce((n, b) => n + b.length, 0)} bytes), the system's output and /metrics for ${PERSONAL.length} personal values: ${found.length} found`,
    );
    expect(temporalDb.length).toBeGreaterThan(0);
    expect(sentCodes.length).toBeGreaterThan(0);
    expect(jsonLogRecords(system.stdout).length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
