import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../events/filing/envelope';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingTarget } from '../../events/filing/filing-kind';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RegistrationForm } from '../../events/form/registration-form';
import { historiesByStatus } from '../../test/support/decider-spec';
import { submittedEvent, validatedForm } from '../../test/support/projection-fixtures';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import type { EventLog } from '../../events/ports/event-log.port';
import { type GeneratedFiling, generateFilingHistories } from '../../test/support/filing-histories';
import { AuthModule } from '../auth/auth.module';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { BureauController } from './bureau.controller';
import { BureauFilingService } from './bureau-filing.service';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const GUANGDONG = '440000';

/** Every string in a JSON value with the key it sits under (array items under their array's key). */
function* strings(value: Json, key = ''): Generator<[key: string, text: string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const item of value) yield* strings(item, key);
  else if (typeof value === 'object' && value !== null)
    for (const [name, inner] of Object.entries(value)) yield* strings(inner, name);
}

/**
 * The generator names its filings with UUIDv5s; the API's filing ids are v4 (`filingIdPipe`). Each
 * history is appended under a fresh v4 id instead, the old id replaced wherever it appears (the hash
 * chain no longer verifies, which this route does not check).
 */
async function appendUnderV4Ids(log: EventLog, generated: GeneratedFiling[]): Promise<GeneratedFiling[]> {
  const rehomed: GeneratedFiling[] = [];
  for (const filing of generated) {
    const filingId = randomUUID();
    const moved = JSON.parse(JSON.stringify(filing).replaceAll(filing.filingId, filingId)) as GeneratedFiling;
    await log.appendToStream(
      filingStreamId(filingId),
      moved.envelopes.map(({ id, type, data, metadata }) => ({
        id,
        type,
        data: data as unknown as Json,
        metadata: metadata as unknown as Json,
      })),
      { expectedRevision: 'no_stream' },
    );
    rehomed.push(moved);
  }
  return rehomed;
}

/** Appends a history to a filing's stream as the workflow would: sealed, hash-chained, recorded by the system. */
async function appendHistory(log: EventLog, filingId: string, events: readonly FilingEvent[]): Promise<void> {
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

/** A copy of a form with `change` applied to it. */
function alteredForm(form: RegistrationForm, change: (copy: Record<string, Json>) => void): RegistrationForm {
  const copy = JSON.parse(JSON.stringify(form)) as Record<string, Json>;
  change(copy);
  return copy as unknown as RegistrationForm;
}

type FormJson = Record<string, Record<string, Json> & { platforms: Array<Record<string, Json>> }>;

/** The personal values in every form a filing's stream holds (submitted and corrected). */
function personalValues(filing: GeneratedFiling): string[] {
  const found = new Set<string>();
  for (const envelope of filing.envelopes) {
    const form = (envelope.data as { form?: Record<string, Json> }).form;
    if (!form) continue;
    for (const [key, text] of strings(form)) {
      if (['idNumber', 'mobile', 'email', 'emergencyContact', 'phone'].includes(key)) found.add(text);
    }
    for (const who of ['operatorPrincipal', 'appPrincipal']) {
      const name = (form[who] as { name?: string } | undefined)?.name;
      if (name) found.add(name);
    }
    const operator = form.operator as { nature?: string; name?: string; address?: string } | undefined;
    if (operator?.nature === 'individual') {
      if (operator.name) found.add(operator.name);
      if (operator.address) found.add(operator.address);
    }
  }
  return [...found];
}

describe('GET /v1/bureau/filings/:id on a SQLite event log, without Temporal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bureau-filing-'));
  let log: SqliteEventLog;
  let server: HttpTestApp;
  let filings: GeneratedFiling[];
  const tokens: Record<string, string> = {};

  const pick = (what: string, test: (filing: GeneratedFiling) => boolean): GeneratedFiling => {
    const found = filings.find(test);
    if (!found) throw new Error(`the generated histories hold no ${what}`);
    return found;
  };
  const nature = (filing: GeneratedFiling) =>
    (filing.envelopes[0]?.data as { form: { operator?: { nature?: string } } }).form.operator?.nature;

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    const generated = generateFilingHistories({
      count: 24,
      seed: 7,
      paths: ['waiting_in_bureau_review', 'corrected_then_completed'],
    });
    filings = await appendUnderV4Ids(log, generated);

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir }) },
        { provide: EVENT_LOG, useValue: log },
        { provide: READ_MODELS, useValue: {} },
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
    tokens.bureau = await verifier.issue({ sub: 'gd-reviewer-1', role: 'bureau', province: GUANGDONG });
    tokens.otherBureau = await verifier.issue({ sub: 'bj-reviewer-1', role: 'bureau', province: '110000' });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });
  });

  afterAll(async () => {
    await server?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (id: string, who?: string) => {
    const response = await fetch(server.url(`/v1/bureau/filings/${id}`), {
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text,
      body: JSON.parse(text) as Record<string, unknown>,
    };
  };

  it('gives the province’s bureau the status, the masked form and the timeline, with no personal data in clear', async () => {
    const filing = pick('filing in Guangdong bureau review with an individual operator', (f) => {
      return f.province === GUANGDONG && f.path === 'waiting_in_bureau_review' && nature(f) === 'individual';
    });
    const response = await get(filing.filingId, 'bureau');

    expect(response).toMatchObject({ status: 200, type: expect.stringContaining('application/json') });
    expect(Object.keys(response.body).sort()).toEqual([
      'filingId',
      'form',
      'kind',
      'province',
      'status',
      'timeline',
    ]);
    expect(response.body).toMatchObject({
      filingId: filing.filingId,
      kind: 'new_registration',
      province: GUANGDONG,
      status: 'bureau_review',
    });
    expect(response.body.timeline).toEqual(
      filing.envelopes.map((envelope, seq) => ({
        seq,
        type: envelope.type,
        occurredAt: envelope.metadata.occurredAt,
        actorRole: envelope.metadata.actor.role,
      })),
    );
    expect((response.body.timeline as Array<{ type: string }>).at(-1)?.type).toBe('BureauReviewStarted');

    const submitted = filing.envelopes[0]?.data as {
      form: { app: Json; appPrincipal: { idNumber: string; mobile: string }; operator: { idNumber: string } };
    };
    const form = response.body.form as {
      app: Json;
      operator: Record<string, string>;
      appPrincipal: Record<string, string>;
    };
    expect(form.app).toEqual(submitted.form.app);
    expect(form.appPrincipal.idNumber).toMatch(/^\*+.{4}$/);
    expect(form.appPrincipal.idNumber.slice(-4)).toBe(submitted.form.appPrincipal.idNumber.slice(-4));
    expect(form.appPrincipal.mobile.slice(-4)).toBe(submitted.form.appPrincipal.mobile.slice(-4));
    expect(form.operator).toMatchObject({ nature: 'individual', province: GUANGDONG });
    expect(form.operator.idNumber?.slice(-4)).toBe(submitted.form.operator.idNumber.slice(-4));

    const personal = personalValues(filing);
    expect(personal.length).toBeGreaterThanOrEqual(6);
    expect(personal.filter((value) => response.text.includes(value))).toEqual([]);
    // Nor staff ids, hashes or the platform.
    expect(response.text).not.toMatch(/officer-|reviewer-|"hash"|prevHash|platformId/);
  });

  it('shows the form as last corrected, and the filing’s final status', async () => {
    const filing = pick('corrected filing in Guangdong', (f) => {
      return f.province === GUANGDONG && f.path === 'corrected_then_completed';
    });
    const corrected = filing.envelopes.find((e) => e.type === 'FilingCorrected')?.data as unknown as {
      form: { app: Json };
    };
    const response = await get(filing.filingId, 'bureau');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    expect((response.body.form as { app: Json }).app).toEqual(corrected.form.app);
    expect((response.body.timeline as Array<{ type: string }>).map((e) => e.type)).toContain(
      'FilingCorrected',
    );
    expect(personalValues(filing).filter((value) => response.text.includes(value))).toEqual([]);
  });

  it('answers 404 problem+json for a filing of another province, exactly as for one that does not exist', async () => {
    const elsewhere = pick('filing outside Guangdong', (f) => f.province !== GUANGDONG);
    const inGuangdong = pick('filing in Guangdong', (f) => f.province === GUANGDONG);
    const outside = await get(elsewhere.filingId, 'bureau');
    const unknown = await get('9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f', 'bureau');
    const notMine = await get(inGuangdong.filingId, 'otherBureau');
    const notFound = {
      type: 'https://icp-filing.example/problems/filing-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'filing not found',
      requestId: expect.any(String),
    };
    for (const response of [outside, unknown, notMine]) {
      expect(response).toMatchObject({
        status: 404,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(response.body).toEqual(notFound);
    }
    // The stream is really there: only the scope hides it.
    expect((await log.readStream(filingStreamId(elsewhere.filingId))).length).toBeGreaterThan(0);
  });

  it('answers 400 naming id for a malformed id', async () => {
    for (const bad of ['not-a-uuid', '9b2f7c1e-4d3a-1b5c-8e6f-0a1b2c3d4e5f']) {
      const response = await get(bad, 'bureau');
      expect(response).toMatchObject({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'id', rule: 'uuid_v4' })]);
    }
  });

  it('refuses every role but the bureau (403) and a caller without a token (401)', async () => {
    const filing = pick('filing in Guangdong', (f) => f.province === GUANGDONG);
    expect((await get(filing.filingId, 'platform')).status).toBe(403);
    expect((await get(filing.filingId, 'auditor')).status).toBe(403);
    expect((await get(filing.filingId)).status).toBe(401);
  });
});

describe('GET /v1/bureau/filings/:id: a change filing against the registered version', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bureau-change-'));
  let log: SqliteEventLog;
  let server: HttpTestApp;
  let token: string;
  const baseId = randomUUID();
  const changeId = randomUUID();
  const importedChangeId = randomUUID();
  const SUBJECT = '粤ICP备2026000123号';
  const SERVICE = '粤ICP备2026000123号-1A';

  /** As first submitted: another app name, corrected before approval. */
  const firstForm = alteredForm(validatedForm(), (form) => {
    (form.app as Record<string, Json>).name = '旧的应用名';
  });
  /** The registered version: the base filing's form as corrected. */
  const registered = validatedForm();
  /** The proposed version: package and a domain changed, the app principal's mobile, an SDK added. */
  const proposed = alteredForm(registered, (copy) => {
    const form = copy as unknown as FormJson;
    form.app!.platforms[0]!.packageName = 'com.example.books';
    (form.app!.domains as string[])[1] = 'cdn.example.com';
    (form.app!.sdks as Array<Record<string, Json>>).push({
      name: '高德地图 SDK',
      provider: '高德软件有限公司',
    });
    form.appPrincipal!.mobile = '+8613900131234';
    // Same last four characters: the masked values look alike, the field is still listed.
    form.operatorPrincipal!.idNumber = '440305199001010036';
  });
  const target: FilingTarget = {
    subjectNumber: SUBJECT,
    serviceNumber: SERVICE,
    alters: { subject: true, service: true },
    baseFilingId: baseId,
  };

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    const base = historiesByStatus(submittedEvent(baseId, { form: firstForm, appName: '旧的应用名' }));
    await appendHistory(log, baseId, [
      ...base.returned_for_correction,
      { type: 'FilingCorrected', data: { form: registered, appName: '示例记账' } },
      ...base.completed.slice(1),
    ]);
    const change = submittedEvent(changeId, { kind: 'change', target, form: proposed });
    await appendHistory(log, changeId, historiesByStatus(change).bureau_review);
    const imported = submittedEvent(importedChangeId, {
      kind: 'change',
      target: { subjectNumber: SUBJECT, serviceNumber: SERVICE, alters: { subject: false, service: true } },
      form: proposed,
    });
    await appendHistory(log, importedChangeId, historiesByStatus(imported).bureau_review);

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir }) },
        { provide: EVENT_LOG, useValue: log },
        { provide: READ_MODELS, useValue: {} },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG, READ_MODELS],
    })
    class TestInfraModule {}

    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [BureauController],
      providers: [BureauFilingService],
    });
    token = await createTokenVerifier({ dataDir }).issue({
      sub: 'gd-reviewer-1',
      role: 'bureau',
      province: GUANGDONG,
    });
  });

  afterAll(async () => {
    await server?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (id: string) => {
    const response = await fetch(server.url(`/v1/bureau/filings/${id}`), {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  };

  it('lists every field that differs from the base filing’s form as last corrected, masked, by part', async () => {
    const response = await get(changeId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ kind: 'change', target, status: 'bureau_review' });
    const sdks = (registered.app.sdks ?? []).length;
    expect(response.body.changes).toEqual([
      {
        path: 'operatorPrincipal.idNumber',
        before: '**************0036',
        after: '**************0036',
        part: 'subject',
      },
      { path: 'appPrincipal.mobile', before: '**********9000', after: '**********1234', part: 'service' },
      {
        path: 'app.platforms.0.packageName',
        before: 'com.example.ledger',
        after: 'com.example.books',
        part: 'service',
      },
      { path: 'app.domains.1', before: 'static.example.com', after: 'cdn.example.com', part: 'service' },
      { path: `app.sdks.${sdks}.name`, after: '高德地图 SDK', part: 'service' },
      { path: `app.sdks.${sdks}.provider`, after: '高德软件有限公司', part: 'service' },
    ]);
    // The name the base filing was first submitted with is not the registered version's.
    expect(response.text).not.toContain('旧的应用名');
  });

  it('shows no personal data of either version in clear', async () => {
    const response = await get(changeId);
    const personal = [
      registered.appPrincipal.mobile,
      proposed.appPrincipal.mobile,
      registered.appPrincipal.idNumber,
      registered.operatorPrincipal?.idNumber,
      proposed.operatorPrincipal?.idNumber,
      registered.appPrincipal.email,
      registered.appPrincipal.name,
      registered.operatorPrincipal?.name,
    ];
    expect(personal.every((value) => typeof value === 'string' && value.length > 1)).toBe(true);
    expect(personal.filter((value) => response.text.includes(value as string))).toEqual([]);
  });

  it('gives no difference when the registered version has no filing in the log', async () => {
    const response = await get(importedChangeId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ kind: 'change', status: 'bureau_review' });
    expect(response.body).not.toHaveProperty('changes');
  });

  it('shows the base filing itself as the new registration it was, with no difference', async () => {
    const response = await get(baseId);
    expect(response.body).toMatchObject({ kind: 'new_registration', status: 'completed' });
    expect(response.body).not.toHaveProperty('changes');
    expect(response.body).not.toHaveProperty('target');
  });
});
