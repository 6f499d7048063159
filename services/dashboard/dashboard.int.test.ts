import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../events/filing/envelope';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingKind, FilingTarget } from '../../events/filing/filing-kind';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { Json } from '../../events/ports/event-log.port';
import type { ProvinceCode } from '../../events/provinces';
import type { SlaDashboard } from '../../events/ports/read-models.port';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { historiesByStatus } from '../../test/support/decider-spec';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { submittedEvent } from '../../test/support/projection-fixtures';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { BureauController } from '../bureau/bureau.controller';
import { BureauFilingService } from '../bureau/bureau-filing.service';
import { startProjector } from '../projections/projector';
import { readModelProjections } from '../projections/read-model-projections';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import { DashboardController } from './dashboard.controller';

const SERVICE: FilingTarget = {
  subjectNumber: '粤ICP备2026000123号',
  serviceNumber: '粤ICP备2026000123号-1A',
};

/** Filings: kind, province, how far they got. */
const FILINGS: ReadonlyArray<[FilingKind, ProvinceCode, 'bureau_review' | 'platform_review' | 'completed']> =
  [
    ['new_registration', '440000', 'completed'],
    ['new_registration', '440000', 'bureau_review'],
    ['change', '440000', 'bureau_review'],
    ['change', '110000', 'bureau_review'],
    ['cancellation', '440000', 'platform_review'],
    ['new_access', '440000', 'bureau_review'],
  ];

describe('SLA dashboard and bureau queue by filing kind, over real SQLite read models', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-dashboard-kinds-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  async function file(
    kind: FilingKind,
    province: ProvinceCode,
    upTo: (typeof FILINGS)[number][2],
  ): Promise<void> {
    const filingId = randomUUID();
    const submitted = submittedEvent(filingId, {
      province,
      ...(kind !== 'new_registration' && { kind, target: SERVICE }),
    });
    const events: FilingEvent[] = historiesByStatus(submitted)[upTo];
    const sealed = sealFilingEvents(EMPTY_STREAM, events, {
      filingId,
      occurredAt: '2026-11-30T02:00:00.000Z',
      actor: SYSTEM_ACTOR,
      correlationId: filingId,
      causationId: `test-${filingId}`,
    });
    await log.appendToStream(
      filingStreamId(filingId),
      sealed.envelopes.map(({ id, type, data, metadata }) => ({
        id,
        type,
        data: data as unknown as Json,
        metadata: metadata as unknown as Json,
      })),
      { expectedRevision: 'no_stream' },
    );
  }

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    for (const [kind, province, upTo] of FILINGS) await file(kind, province, upTo);
    store = SqliteReadModelStore.open(dataDir, readModelProjections(loadChineseCalendar()));
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir }) },
        { provide: EVENT_LOG, useValue: log },
        { provide: READ_MODELS, useValue: store },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG, READ_MODELS],
    })
    class TestInfraModule {}

    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [DashboardController, BureauController],
      providers: [BureauFilingService],
    });
    const verifier = createTokenVerifier({ dataDir });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });
    tokens.bureau = await verifier.issue({ sub: 'gd-reviewer-1', role: 'bureau', province: '440000' });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (path: string, who: string) => {
    const response = await fetch(server.url(path), { headers: { authorization: `Bearer ${tokens[who]}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('breaks the whole picture down by kind, every kind in a fixed order', async () => {
    const { status, body } = await get('/v1/dashboard/sla', 'auditor');
    expect(status).toBe(200);
    const dashboard = body as unknown as SlaDashboard;
    expect(dashboard.filings).toBe(FILINGS.length);
    expect(
      dashboard.byKind.map(({ kind, filings, open, overdue }) => [kind, filings, open, overdue]),
    ).toEqual([
      ['new_registration', 2, 1, 0],
      ['change', 2, 2, 0],
      ['cancellation', 1, 1, 0],
      ['new_access', 1, 1, 0],
    ]);
    const change = dashboard.byKind[1]!;
    expect(change.stages.find((figures) => figures.stage === 'bureau_review')).toMatchObject({
      filings: 2,
      finishedVisits: 0,
      medianWorkingDays: null,
    });
    expect(change.stages.find((figures) => figures.stage === 'platform_review')).toMatchObject({
      filings: 0,
      finishedVisits: 2,
      medianWorkingDays: expect.any(Number),
    });
  });

  it('?kind= gives one kind’s figures; a bureau sees its own province’s', async () => {
    const auditor = await get('/v1/dashboard/sla?kind=change', 'auditor');
    expect(auditor.body).toMatchObject({ kind: 'change', filings: 2, open: 2 });
    expect((auditor.body as unknown as SlaDashboard).byKind.map((figures) => figures.kind)).toEqual([
      'change',
    ]);
    const bureau = await get('/v1/dashboard/sla?kind=change', 'bureau');
    expect(bureau.body).toMatchObject({ province: '440000', kind: 'change', filings: 1 });
    expect((bureau.body as unknown as SlaDashboard).byProvince).toEqual([
      { province: '440000', stage: 'bureau_review', filings: 1, overdue: 0 },
    ]);
    const bad = await get('/v1/dashboard/sla?kind=renewal', 'auditor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'kind', rule: 'invalid_choice' })]);
  });

  it('the bureau queue shows each filing’s kind and target, and filters by kind', async () => {
    const all = await get('/v1/bureau/queue', 'bureau');
    expect(all.status).toBe(200);
    const items = all.body.items as Array<Record<string, unknown>>;
    expect(items.map((item) => item.kind).sort()).toEqual(['change', 'new_access', 'new_registration']);
    const changes = await get('/v1/bureau/queue?kind=change', 'bureau');
    expect(changes.body.items).toEqual([
      expect.objectContaining({
        kind: 'change',
        status: 'bureau_review',
        stage: 'bureau_review',
        province: '440000',
        targetSubjectNumber: SERVICE.subjectNumber,
        targetServiceNumber: SERVICE.serviceNumber,
        queuedAt: expect.any(String),
        dueBy: expect.any(String),
      }),
    ]);
    expect((await get('/v1/bureau/queue?kind=cancellation', 'bureau')).body.items).toEqual([]);
    const bad = await get('/v1/bureau/queue?kind=renewal', 'bureau');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'kind', rule: 'invalid_choice' })]);
  });
});
