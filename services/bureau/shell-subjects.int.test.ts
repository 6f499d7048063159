import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { subjectStreamId, serviceStreamId } from '../../events/registry/registry-streams';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  toAppend,
} from '../../test/support/registry-fixtures';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { AuthModule } from '../auth/auth.module';
import { startProjector } from '../projections/projector';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import { BureauController } from './bureau.controller';
import { BureauFilingService } from './bureau-filing.service';

/** A subject in `province` with one website; `shell`: the website cancelled and the subject flagged. */
function subjectLife(province: string, digestChar: string, subjectNumber: string, shell: boolean) {
  const digest = digestChar.repeat(64);
  const subjectStream = subjectStreamId(province, digest);
  const website = `${subjectNumber}-1`;
  const events = [
    registryRecorded(
      subjectStream,
      'SubjectRegistered',
      subjectRegistered({
        subjectKeyDigest: digest,
        provinceCode: province,
        subjectNumber,
        operatorName: `${subjectNumber}的运营者`,
      }),
    ),
    registryRecorded(
      serviceStreamId(website),
      'ServiceRegistered',
      serviceRegistered({
        serviceNumber: website,
        subjectNumber,
        serviceType: 'website',
        identifiers: { packages: [], bundles: [], domains: [`${digestChar}.example.cn`] },
      }),
    ),
  ];
  if (!shell) return events;
  return [
    ...events,
    registryRecorded(serviceStreamId(website), 'ServiceCancelled', {
      filingId: `f-${digestChar}`,
      cancelledOn: '2026-12-03',
      scope: 'service',
    }),
    registryRecorded(subjectStream, 'SubjectLeftWithoutServices', {
      filingId: `f-${digestChar}`,
      lastServiceNumber: website,
      flaggedOn: '2026-12-03',
    }),
  ];
}

describe('GET /v1/bureau/shell-subjects over a real SQLite log and read models', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-shell-subjects-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dataDir, loadChineseCalendar());
    const events = [
      ...subjectLife('440000', 'a', '粤ICP备2026000001号', true),
      ...subjectLife('440000', 'b', '粤ICP备2026000002号', false),
      ...subjectLife('440000', 'c', '粤ICP备2026000003号', true),
      ...subjectLife('110000', 'd', '京ICP备2026000001号', true),
    ];
    for (const recorded of events) {
      await log.appendToStream(recorded.streamId, [toAppend(recorded, crypto.randomUUID())], {
        expectedRevision: 'any',
      });
    }
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
      controllers: [BureauController],
      providers: [BureauFilingService],
    });
    const verifier = createTokenVerifier({ dataDir });
    tokens.guangdong = await verifier.issue({ sub: 'gd-reviewer-1', role: 'bureau', province: '440000' });
    tokens.beijing = await verifier.issue({ sub: 'bj-reviewer-1', role: 'bureau', province: '110000' });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (who: string, query = '') => {
    const response = await fetch(server.url(`/v1/bureau/shell-subjects${query}`), {
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  };

  it('lists its own province’s shell subjects, a page at a time', async () => {
    const first = await get('guangdong', '?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        subjectNumber: '粤ICP备2026000001号',
        province: '440000',
        operatorName: '粤ICP备2026000001号的运营者',
        operatorNature: 'enterprise',
        flaggedOn: '2026-12-03',
        lastServiceNumber: '粤ICP备2026000001号-1',
      },
    ]);
    expect(first.text).not.toContain('a'.repeat(64));
    const second = await get('guangdong', `?limit=1&cursor=${String(first.body.nextCursor)}`);
    expect(second.body.items).toEqual([expect.objectContaining({ subjectNumber: '粤ICP备2026000003号' })]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await get('beijing')).body.items).toEqual([
      expect.objectContaining({ subjectNumber: '京ICP备2026000001号' }),
    ]);
  });

  it('is for bureaus only, and refuses a cursor it did not issue', async () => {
    expect((await get('platform')).status).toBe(403);
    const cursor = await get('guangdong', '?cursor=bm9wZQ');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: 'cursor', rule: 'invalid_cursor' })]);
  });
});
