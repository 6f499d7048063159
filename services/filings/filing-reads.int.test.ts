import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { statusQuery } from '../../workflows/filing/filing.definitions';
import { filingStreamId } from '../../events/filing/stream-ids';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { openIdempotencyKeys } from '../../infra/idempotency/idempotency-keys';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { runKindsWorker } from '../../test/temporal/kinds-worker';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { type RunningProjector, startProjector } from '../projections/projector';
import { EVENT_LOG, IDEMPOTENCY_KEYS, READ_MODELS, TEMPORAL_CLIENT, TEMPORAL_TARGET } from '../tokens';
import { FilingsModule } from './filings.module';

type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** valid-app with identifiers of its own, so each filing claims its own. */
function appForm(): Editable {
  const tag = randomUUID().slice(0, 8);
  const form = loadValidForm('valid-app') as Editable;
  form.app.platforms = form.app.platforms.map((p: Editable) =>
    p.os === 'ios'
      ? { ...p, bundleId: `com.example.ledger.r${tag}` }
      : { ...p, packageName: `com.example.${p.os}.r${tag}` },
  );
  return form;
}

/**
 * `GET /v1/filings/:id` from the read model with read-your-writes, against the real API, Temporal's
 * test server with the production worker, and a projector feeding SQLite read models from the log.
 */
describe('filing reads from the read side (real API, Temporal, projector)', () => {
  let harness: FilingHarness;
  let worker: { stop(): Promise<void> };
  let readModels: SqliteReadModelStore;
  let projector: RunningProjector | undefined;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await FilingHarness.start();
    worker = await runKindsWorker(harness);
    readModels = openReadModels(harness.config.dataDir, loadChineseCalendar());
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    tokens.wechat = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.alipay = await verifier.issue({ sub: 'alipay-ops', role: 'platform', platformId: 'alipay' });
    tokens.auditor = await verifier.issue({ sub: 'auditor-1', role: 'auditor' });
    const providers = [
      { provide: TOKEN_VERIFIER, useValue: verifier },
      { provide: EVENT_LOG, useValue: harness.eventLog },
      { provide: READ_MODELS, useValue: readModels },
      { provide: IDEMPOTENCY_KEYS, useValue: openIdempotencyKeys(harness.config.dataDir) },
      { provide: TEMPORAL_CLIENT, useValue: harness.client },
      {
        provide: TEMPORAL_TARGET,
        useValue: { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
      },
    ];

    @Global()
    @Module({ providers, exports: providers.map((provider) => provider.provide) })
    class TestInfraModule {}
    server = await startHttpTestApp({ imports: [TestInfraModule, AuthModule, FilingsModule] });
  }, 120_000);

  afterAll(async () => {
    await projector?.stop();
    await server?.close();
    await readModels?.close();
    await worker?.stop();
    await harness?.stop();
  });

  async function call(method: string, path: string, who: string, body?: unknown, headers = {}) {
    const response = await fetch(server.url(path), {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: (text ? JSON.parse(text) : {}) as Json,
    };
  }

  const projecting = async () => {
    projector ??= startProjector({ eventLog: harness.eventLog, store: readModels });
    await projector.caughtUp();
  };
  const stopProjecting = async () => {
    await projector?.stop();
    projector = undefined;
  };
  const live = (id: string) => harness.client.workflow.getHandle(filingStreamId(id)).query(statusQuery);

  async function submitted(): Promise<{ id: string; revision: number }> {
    const answer = await call('POST', '/v1/filings', 'wechat', appForm());
    expect(answer.status).toBe(202);
    const { filingId: id, revision } = answer.json;
    expect(answer.headers.get('etag')).toBe(`"${revision}"`);
    harness.startedFilingIds.push(id);
    await harness.waitForStatus(harness.client.workflow.getHandle(filingStreamId(id)), 'platform_review');
    return { id, revision };
  }

  it('answers a fresh submission at once, from the workflow while the projector has not seen it', async () => {
    await stopProjecting();
    const { id, revision } = await submitted();
    const read = await call('GET', `/v1/filings/${id}`, 'wechat');
    expect(read.status).toBe(200);
    expect(read.headers.get('x-read-source')).toBe('workflow');
    expect(read.json).toMatchObject({ filingId: id, status: 'platform_review' });
    expect(read.json.revision).toBeGreaterThanOrEqual(revision);
    expect((await call('GET', `/v1/filings/${randomUUID()}`, 'wechat')).status).toBe(404);
  });

  it('reads a decision back with the answer’s revision, equal to the workflow’s strong read', async () => {
    await projecting();
    const { id } = await submitted();
    const decided = await call('POST', `/v1/filings/${id}/platform-review`, 'wechat', {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    const revision = decided.json.revision as number;
    expect(decided.headers.get('etag')).toBe(`"${revision}"`);

    const read = await call('GET', `/v1/filings/${id}?minRevision=${revision}`, 'wechat');
    expect(read.status).toBe(200);
    expect(read.json.revision).toBeGreaterThanOrEqual(revision);
    expect(read.json.status).not.toBe('platform_review');

    await harness.waitForStatus(harness.client.workflow.getHandle(filingStreamId(id)), 'sms_verification');
    await projector?.caughtUp();
    const eventual = await call('GET', `/v1/filings/${id}`, 'wechat');
    const strong = await call('GET', `/v1/filings/${id}?consistency=strong`, 'wechat');
    expect(eventual.headers.get('x-read-source')).toBe('read-model');
    expect(strong.headers.get('x-read-source')).toBe('workflow');
    expect(eventual.json).toEqual(strong.json);
    expect(eventual.json).toEqual(await live(id));
    expect(eventual.headers.get('etag')).toBe(`"${strong.json.revision}"`);
  });

  it('falls back to the workflow when the read model does not reach minRevision in time', async () => {
    await projecting();
    const { id } = await submitted();
    await projector?.caughtUp();
    await stopProjecting();
    const decided = await call('POST', `/v1/filings/${id}/withdrawal`, 'wechat', {});
    expect(decided.status).toBe(200);

    const stale = await call('GET', `/v1/filings/${id}`, 'wechat');
    expect(stale.headers.get('x-read-source')).toBe('read-model');
    expect(stale.json.status).toBe('platform_review');
    const header = { 'x-min-revision': String(decided.json.revision) };
    const read = await call('GET', `/v1/filings/${id}`, 'wechat', undefined, header);
    expect(read.headers.get('x-read-source')).toBe('workflow');
    expect(read.json).toMatchObject({ status: 'withdrawn', revision: decided.json.revision });
  });

  it('keeps scope, answers 304 for a matching If-None-Match, and refuses bad parameters naming them', async () => {
    await projecting();
    const { id } = await submitted();
    await projector?.caughtUp();
    const read = await call('GET', `/v1/filings/${id}`, 'auditor');
    expect(read.headers.get('x-read-source')).toBe('read-model');
    expect((await call('GET', `/v1/filings/${id}`, 'alipay')).status).toBe(404);

    const etag = read.headers.get('etag') ?? '';
    expect(etag).toBe(`"${read.json.revision}"`);
    expect(
      (await call('GET', `/v1/filings/${id}`, 'auditor', undefined, { 'if-none-match': etag })).status,
    ).toBe(304);

    const bad = await call(
      'GET',
      `/v1/filings/${id}?minRevision=-1&consistency=linear`,
      'auditor',
      undefined,
      {
        'x-min-revision': 'soon',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'X-Min-Revision',
      'consistency',
      'minRevision',
    ]);
  });
});
