import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import Database from 'better-sqlite3';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { READ_MODELS } from '../tokens';
import { AuthModule } from '../auth/auth.module';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { toFilingSummaryRecord } from '../../infra/read-models/read-model.records';
import { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { readModelProjections } from '../projections/read-model-projections';
import { AuditSearchController } from './audit-search.controller';
import { AuditSearchService } from './audit-search.service';

const ID_LEDGER = '6f1c1a52-4c1e-4a8f-9d43-0a1b2c3d4e5f';
const ID_LEDGER_PRO = '7a2d2b63-5d2f-4b90-8e54-1b2c3d4e5f60';
const ID_MAPS = '8b3e3c74-6e30-4ca1-9f65-2c3d4e5f6071';

function row(filingId: string, appName: string, submittedAt: string, extra: Partial<FilingSummaryRow> = {}) {
  return toFilingSummaryRecord({
    filingId,
    kind: 'new_registration',
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName,
    status: 'bureau_review',
    stage: 'bureau_review',
    overdue: false,
    revision: 7,
    submittedAt,
    updatedAt: submittedAt,
    ...extra,
  } as FilingSummaryRow);
}

describe('GET /v1/audit/search', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-audit-search-'));
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = SqliteReadModelStore.open(dataDir, readModelProjections(loadChineseCalendar()));
    const db = new Database(store.file);
    const columns = Object.keys(row(ID_LEDGER, '', ''));
    const insert = db.prepare(
      `INSERT INTO filing_summary (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    insert.run(row(ID_LEDGER, '示例记账', '2026-03-02T01:00:00.000Z'));
    insert.run(
      row(ID_LEDGER_PRO, '示例记账 Pro', '2026-03-03T01:00:00.000Z', {
        status: 'completed',
        stage: 'closed',
        registrationNumber: '粤ICP备2026000123号-1A',
        operatorName: '深圳市示例账本科技有限公司',
      }),
    );
    insert.run(row(ID_MAPS, 'Maps', '2026-03-04T01:00:00.000Z'));
    db.close();

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir }) },
        { provide: READ_MODELS, useValue: store },
      ],
      exports: [TOKEN_VERIFIER, READ_MODELS],
    })
    class TestInfraModule {}

    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [AuditSearchController],
      providers: [AuditSearchService],
    });
    const verifier = createTokenVerifier({ dataDir });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });
    tokens.bureau = await verifier.issue({ sub: 'gd', role: 'bureau', province: '440000' });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const search = async (q: string | undefined, who = 'auditor', extra = '') => {
    const params = q === undefined ? extra : `?q=${encodeURIComponent(q)}${extra}`;
    const response = await fetch(server.url(`/v1/audit/search${params}`), {
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as { items?: FilingSummaryRow[]; errors?: unknown[] },
    };
  };
  const ids = (result: { body: { items?: FilingSummaryRow[] } }) => result.body.items?.map((f) => f.filingId);

  it('finds a filing by its id', async () => {
    expect(ids(await search(ID_MAPS))).toEqual([ID_MAPS]);
  });

  it('finds a filing by its registration number, and the services of a subject number', async () => {
    expect(ids(await search('粤ICP备2026000123号-1A'))).toEqual([ID_LEDGER_PRO]);
    expect(ids(await search('粤ICP备2026000123号'))).toEqual([ID_LEDGER_PRO]);
  });

  it('finds filings by part of the app or operator name, newest first, ignoring case', async () => {
    expect(ids(await search('记账'))).toEqual([ID_LEDGER_PRO, ID_LEDGER]);
    expect(ids(await search('maps'))).toEqual([ID_MAPS]);
    expect(ids(await search('示例账本'))).toEqual([ID_LEDGER_PRO]);
    expect(ids(await search('nothing like it'))).toEqual([]);
  });

  it.each([
    ['missing', undefined, '', 'required'],
    ['blank', '   ', '', 'required'],
    ['too long', 'x'.repeat(201), '', 'too_long'],
    ['given twice', 'a', '&q=b', 'type'],
  ])('refuses q %s with 400 problem+json naming the field', async (_what, q, extra, rule) => {
    const result = await search(q, 'auditor', extra);
    expect(result.status).toBe(400);
    expect(result.type).toContain('application/problem+json');
    expect(result.body.errors).toEqual([expect.objectContaining({ path: 'q', rule })]);
  });

  it('refuses an unknown parameter, and every role but the auditor', async () => {
    const unknown = await search('a', 'auditor', '&province=440000');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ path: 'province', rule: 'unknown_field' }),
    ]);
    expect((await search('记账', 'bureau')).status).toBe(403);
  });
});
