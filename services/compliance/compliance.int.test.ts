import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { createInventoryReporter } from '../../activities/compliance/inventory/report-inventory';
import { runDeadlineSweep } from '../../activities/compliance/sweep/deadline-sweep';
import type { TokenClaims } from '../../events/auth/token-claims';
import { inventoryStreamId, sweepStreamId } from '../../events/compliance/compliance-streams';
import { verifyComplianceChain } from '../../events/compliance/compliance-envelope';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import {
  openSqliteComplianceStore,
  type SqliteComplianceStore,
} from '../../infra/compliance/sqlite-compliance-store';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { seedVerificationRegistry } from '../../test/support/verification-registry';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { startProjector } from '../projections/projector';
import {
  COMPLIANCE_STORE,
  EVENT_LOG,
  INVENTORY_REPORTER,
  READ_MODELS,
  TEMPORAL_CLIENT,
  TEMPORAL_TARGET,
} from '../tokens';
import { ComplianceModule } from './compliance.module';

const MD5 = 'a'.repeat(32);
/** The registry's app com.example.maps (signed a…a), the cancelled com.example.weather, an unknown app. */
const LINES = [
  { kind: 'package', value: 'com.example.maps', signatureMd5: MD5, province: '440000', name: '示例地图' },
  { kind: 'package', value: 'com.example.maps', signatureMd5: 'f'.repeat(32), province: '440000' },
  { kind: 'package', value: 'com.example.weather', province: '440000' },
  { kind: 'package', value: 'com.example.unknown', province: '440000', name: '未备案' },
  { kind: 'domain', value: 'new.example.cn', province: '110000', servedSince: '2026-12-05' },
];

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
  text: string;
}

/** The inventory and sweep routes over real HTTP, on a real SQLite log, read models and compliance store. */
describe('compliance: inventory reports and deadline sweeps', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-compliance-'));
  let log: SqliteEventLog;
  let readModels: SqliteReadModelStore;
  let store: SqliteComplianceStore;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    readModels = openReadModels(dataDir, loadChineseCalendar());
    store = openSqliteComplianceStore(dataDir);
    await seedVerificationRegistry(log);
    const projector = startProjector({ eventLog: log, store: readModels });
    await projector.caughtUp();
    await projector.stop();
    const verifier = createTokenVerifier({ dataDir });
    const claims: Record<string, TokenClaims> = {
      isp: { sub: 'ct-ops', role: 'isp', ispName: '中国电信' },
      store: { sub: 'appgallery', role: 'store', org: 'huawei-appgallery' },
      bureauGd: { sub: 'gd', role: 'bureau', province: '440000' },
      bureauBj: { sub: 'bj', role: 'bureau', province: '110000' },
      auditor: { sub: 'audit-1', role: 'auditor' },
      platform: { sub: 'wechat-ops', role: 'platform', platformId: 'wechat' },
    };
    for (const [name, claim] of Object.entries(claims)) tokens[name] = await verifier.issue(claim);

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: READ_MODELS, useValue: readModels },
        { provide: EVENT_LOG, useValue: log },
        { provide: COMPLIANCE_STORE, useValue: store },
        {
          provide: INVENTORY_REPORTER,
          useValue: createInventoryReporter({ eventLog: log, registry: readModels, store }),
        },
        // The sweep's POST runs through Temporal: the workflow's own test covers it.
        { provide: TEMPORAL_CLIENT, useValue: {} },
        { provide: TEMPORAL_TARGET, useValue: {} },
      ],
      exports: [
        TOKEN_VERIFIER,
        READ_MODELS,
        EVENT_LOG,
        COMPLIANCE_STORE,
        INVENTORY_REPORTER,
        TEMPORAL_CLIENT,
        TEMPORAL_TARGET,
      ],
    })
    class TestInfraModule {}
    server = await startHttpTestApp(
      { imports: [TestInfraModule, AuthModule, ComplianceModule] },
      {
        http: () => ({
          bodyLimitsByPath: { '/v1/compliance/inventories': '32mb' },
          ndjsonPaths: ['/v1/compliance/inventories'],
        }),
      },
    );
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await readModels?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    accept?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (accept) headers.accept = accept;
    const response = await fetch(server.url(path), {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    return {
      status: response.status,
      type,
      text,
      body: type.includes('json') && text ? JSON.parse(text) : {},
    };
  }

  it('checks each line against the registry, records the report once per date and lines', async () => {
    const first = await call('POST', '/v1/compliance/inventories?reportedOn=2026-12-06', tokens.isp, {
      lines: LINES,
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      party: { role: 'isp', id: '中国电信' },
      reportedOn: '2026-12-06',
      lines: 5,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      counts: { registered: 1, not_registered: 2, identifier_mismatch: 1, cancelled: 1, access_withdrawn: 0 },
    });
    const again = await call('POST', '/v1/compliance/inventories?reportedOn=2026-12-06', tokens.isp, {
      lines: LINES,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const recorded = await log.readStream(inventoryStreamId({ role: 'isp', id: '中国电信' }));
    expect(recorded.map((event) => event.type)).toEqual(['InventoryReported']);
    expect(verifyComplianceChain(recorded[0]!.streamId, recorded)).toEqual([]);
  });

  it('refuses a report with a bad line, naming lines[i].field and the rule, storing nothing', async () => {
    const bad = [LINES[0], { ...LINES[1], signatureMd5: 'zz' }, { ...LINES[2], province: '000000' }];
    const answer = await call('POST', '/v1/compliance/inventories', tokens.store, { lines: bad });
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/problem+json');
    expect(
      (answer.body.errors as Array<{ path: string; rule: string }>).map(({ path, rule }) => ({ path, rule })),
    ).toEqual([
      { path: 'lines[1].signatureMd5', rule: 'pattern' },
      { path: 'lines[2].province', rule: 'unknown_province' },
    ]);
    expect(await store.listReports({ party: { role: 'store', id: 'huawei-appgallery' } })).toEqual([]);
    const future = await call('POST', '/v1/compliance/inventories?reportedOn=2099-01-01', tokens.store, {
      lines: [LINES[0]],
    });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([
      expect.objectContaining({ path: 'reportedOn', rule: 'not_in_future' }),
    ]);
  });

  it('takes the same report as application/x-ndjson, one line a line', async () => {
    const post = (body: string) =>
      fetch(server.url('/v1/compliance/inventories?reportedOn=2026-12-05'), {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.isp}`, 'content-type': 'application/x-ndjson' },
        body,
      });
    const response = await post(`${LINES.map((line) => JSON.stringify(line)).join('\n')}\n`);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ reportedOn: '2026-12-05', lines: 5 });
    const bad = await post(
      `${JSON.stringify(LINES[0])}\n{not json\n${JSON.stringify({ ...LINES[1], kind: 'apk' })}\n`,
    );
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ path: string; rule: string }> };
    expect(problem.errors.map(({ path, rule }) => ({ path, rule }))).toEqual([
      { path: 'lines[1]', rule: 'malformed_json' },
    ]);
    expect(await store.report({ role: 'isp', id: '中国电信' }, '2026-12-05')).toMatchObject({ lines: 5 });
  });

  it('lets only the parties report, and shows a party only its own reports', async () => {
    expect(
      (await call('POST', '/v1/compliance/inventories', tokens.bureauGd, { lines: [LINES[0]] })).status,
    ).toBe(403);
    expect(
      (await call('POST', '/v1/compliance/inventories', tokens.platform, { lines: [LINES[0]] })).status,
    ).toBe(403);
    const own = await call('GET', '/v1/compliance/inventories', tokens.isp);
    expect((own.body.reports as unknown[]).length).toBe(2);
    expect(
      (await call('GET', '/v1/compliance/inventories?party=store:huawei-appgallery', tokens.isp)).status,
    ).toBe(403);
    const bureau = await call(
      'GET',
      `/v1/compliance/inventories?party=${encodeURIComponent('isp:中国电信')}`,
      tokens.bureauGd,
    );
    expect(bureau.body.reports).toEqual([
      expect.objectContaining({ reportedOn: '2026-12-06', lines: 5 }),
      expect.objectContaining({ reportedOn: '2026-12-05', lines: 5 }),
    ]);
  });

  it('sweeps: lists exactly the services not registered by their deadline, per province and party', async () => {
    const sweep = (asOf: string) =>
      runDeadlineSweep({ eventLog: log, registry: readModels, store }, asOf, {
        recordedBy: { role: 'system', id: 'test' },
        causationId: 'test',
      });
    // As of 2024-04-01 nothing was registered yet (the registry's services date from 2026-12-01); the
    // new domain, first served in 2026, was not yet due.
    const early = await sweep('2024-04-01');
    expect(early.counts).toEqual({ lines: 5, overdue: 4 });
    // As of 2026-12-07 the registered app is no longer overdue, nor is the mismatched or the cancelled
    // one (inspection findings, not the sweep's); the unknown app and the new domain are.
    const late = await sweep('2026-12-07');
    expect(late).toMatchObject({
      sweepId: 'compliance-sweep-2026-12-07',
      counts: { lines: 5, overdue: 2 },
      byProvince: [
        { province: '110000', overdue: 1 },
        { province: '440000', overdue: 1 },
      ],
      byParty: [{ party: 'isp:中国电信', overdue: 2 }],
    });
    expect((await call('GET', '/v1/compliance/sweeps/2026-12-07', tokens.auditor)).body).toEqual(late);
    const items = await call('GET', '/v1/compliance/sweeps/2026-12-07/items', tokens.auditor);
    expect(items.body.items).toEqual([
      {
        province: '110000',
        party: 'isp:中国电信',
        kind: 'domain',
        value: 'new.example.cn',
        deadline: '2026-12-05',
        daysPast: 2,
        reportedOn: '2026-12-06',
      },
      {
        province: '440000',
        party: 'isp:中国电信',
        kind: 'package',
        value: 'com.example.unknown',
        name: '未备案',
        deadline: '2024-03-31',
        daysPast: 981,
        reportedOn: '2026-12-06',
      },
    ]);
    const recorded = await log.readStream(sweepStreamId('2026-12-07'));
    expect(recorded.map((event) => event.type)).toEqual(['SweepCompleted']);
    await sweep('2026-12-07');
    expect(await log.readStream(sweepStreamId('2026-12-07'))).toHaveLength(1);
  });

  it('shows a bureau only its province’s items, as JSON or CSV', async () => {
    const gd = await call('GET', '/v1/compliance/sweeps/2026-12-07/items', tokens.bureauGd);
    expect((gd.body.items as Array<{ value: string }>).map((item) => item.value)).toEqual([
      'com.example.unknown',
    ]);
    expect(
      (await call('GET', '/v1/compliance/sweeps/2026-12-07/items?province=110000', tokens.bureauGd)).status,
    ).toBe(403);
    const csv = await call(
      'GET',
      '/v1/compliance/sweeps/2026-12-07/items',
      tokens.bureauBj,
      undefined,
      'text/csv',
    );
    expect(csv.type).toBe('text/csv');
    expect(csv.text).toBe(
      'province,party,kind,value,name,deadline,daysPast,reportedOn\r\n110000,isp:中国电信,domain,new.example.cn,,2026-12-05,2,2026-12-06\r\n',
    );
    expect((await call('GET', '/v1/compliance/sweeps/2026-12-08', tokens.auditor)).status).toBe(404);
    expect((await call('GET', '/v1/compliance/sweeps/2026-13-01', tokens.auditor)).status).toBe(400);
  });
});
