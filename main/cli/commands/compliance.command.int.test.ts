import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { createInventoryReporter } from '../../../activities/compliance/inventory/report-inventory';
import { sweepStreamId } from '../../../events/compliance/compliance-streams';
import { createTokenVerifier } from '../../../infra/auth/token-verifier';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import {
  openSqliteComplianceStore,
  type SqliteComplianceStore,
} from '../../../infra/compliance/sqlite-compliance-store';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../../infra/read-models/sqlite/sqlite-read-model-store';
import { AuthModule } from '../../../services/auth/auth.module';
import { TOKEN_VERIFIER } from '../../../services/auth/auth.tokens';
import { ComplianceModule } from '../../../services/compliance/compliance.module';
import { startProjector } from '../../../services/projections/projector';
import {
  COMPLIANCE_STORE,
  EVENT_LOG,
  INVENTORY_REPORTER,
  READ_MODELS,
  TEMPORAL_CLIENT,
  TEMPORAL_TARGET,
} from '../../../services/tokens';
import { runCommand } from '../../../test/cli/run-command';
import { type HttpTestApp, startHttpTestApp } from '../../../test/support/http/http-test-app';
import { seedVerificationRegistry } from '../../../test/support/verification-registry';
import { openReadModels } from '../../read-models';
import { complianceCommand } from './compliance.command';

/** `icp compliance` against a real API (report-inventory) and the same data directory (sweep). */
describe('icp compliance: a party reports its inventory, a bureau sweeps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-compliance-cli-'));
  const savedDataDir = process.env.ICP_DATA_DIR;
  let log: SqliteEventLog;
  let readModels: SqliteReadModelStore;
  let store: SqliteComplianceStore;
  let server: HttpTestApp;
  let ispToken = '';
  let storeToken = '';

  beforeAll(async () => {
    process.env.ICP_DATA_DIR = dir;
    log = new SqliteEventLog(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
    readModels = openReadModels(dir, loadChineseCalendar());
    store = openSqliteComplianceStore(dir);
    await seedVerificationRegistry(log);
    const projector = startProjector({ eventLog: log, store: readModels });
    await projector.caughtUp();
    await projector.stop();
    const verifier = createTokenVerifier({ dataDir: dir });
    ispToken = await verifier.issue({ sub: 'cu-ops', role: 'isp', ispName: '中国联通' });
    storeToken = await verifier.issue({ sub: 'appgallery', role: 'store', org: 'huawei-appgallery' });
    const reporter = createInventoryReporter({ eventLog: log, registry: readModels, store });
    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: READ_MODELS, useValue: readModels },
        { provide: EVENT_LOG, useValue: log },
        { provide: COMPLIANCE_STORE, useValue: store },
        { provide: INVENTORY_REPORTER, useValue: reporter },
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
    server = await startHttpTestApp({ imports: [TestInfraModule, AuthModule, ComplianceModule] });
  });

  afterAll(async () => {
    if (savedDataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = savedDataDir;
    await server?.close();
    await store?.close();
    await readModels?.close();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, lines: readonly string[]): string {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }
  const report = (path: string, token: string, ...extra: string[]) =>
    runCommand(complianceCommand, [
      'report-inventory',
      path,
      '--api',
      server.url(''),
      '--token',
      token,
      ...extra,
    ]);

  it('reports a JSON Lines inventory and a CSV one, and prints the API’s counts', async () => {
    const jsonl = file('isp.jsonl', [
      JSON.stringify({ kind: 'domain', value: 'maps.example.com', province: '440000' }),
      JSON.stringify({ kind: 'package', value: 'com.example.unknown', province: '440000', name: '未备案' }),
    ]);
    const first = await report(jsonl, ispToken, '--reported-on', '2026-12-06');
    expect(first).toMatchObject({ code: 0, err: [] });
    expect(first.out).toEqual([
      'reported for 2026-12-06: 2 lines (registered 1, not_registered 1, identifier_mismatch 0, cancelled 0, access_withdrawn 0)',
    ]);
    expect((await report(jsonl, ispToken, '--reported-on', '2026-12-06')).out[0]).toMatch(
      /^already reported/,
    );
    const csv = file('store.csv', [
      'kind,value,hostApp,province,servedSince',
      'mini_program,wx0123456789abcdef,微信,440000,',
      'quick_app,com.example.fresh,,310000,2026-12-01',
    ]);
    const stored = await report(csv, storeToken, '--json', '--reported-on', '2026-12-06');
    expect(stored.code).toBe(0);
    expect(JSON.parse(stored.out[0]!)).toMatchObject({
      lines: 2,
      counts: { registered: 1, not_registered: 1 },
    });
  });

  it('lists the API’s errors for a bad inventory and exits 1', async () => {
    const bad = file('bad.jsonl', [
      JSON.stringify({ kind: 'package', value: 'com.x', province: '440000', colour: 1 }),
    ]);
    const result = await report(bad, ispToken);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringContaining('refused (400)'),
      '  lines[0].colour: unknown_field: colour is not a field of this request',
    ]);
  });

  it('sweeps in process as of a date, prints counts per province and party, writes the CSV', async () => {
    const csvPath = join(dir, 'sweep.csv');
    const result = await runCommand(complianceCommand, ['sweep', '--as-of', '2026-12-07', '--csv', csvPath]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'sweep as of 2026-12-07: 2 of 4 reported services overdue',
      'by province:',
      '  310000  1',
      '  440000  1',
      'by party:',
      '  isp:中国联通  1',
      '  store:huawei-appgallery  1',
    ]);
    expect(result.err.at(-1)).toMatch(/^sweep as of 2026-12-07 \[#+\]\s+100%\s+4 lines/);
    expect(readFileSync(csvPath, 'utf8').split('\r\n')).toEqual([
      'province,party,kind,value,name,deadline,daysPast,reportedOn',
      '310000,store:huawei-appgallery,quick_app,com.example.fresh,,2026-12-01,6,2026-12-06',
      '440000,isp:中国联通,package,com.example.unknown,未备案,2024-03-31,981,2026-12-06',
      '',
    ]);
    expect((await log.readStream(sweepStreamId('2026-12-07'))).map((event) => event.type)).toEqual([
      'SweepCompleted',
    ]);
  });

  it('refuses a sweep without a date', async () => {
    const result = await runCommand(complianceCommand, ['sweep']);
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe('icp compliance: give --as-of YYYY-MM-DD');
  });
});
