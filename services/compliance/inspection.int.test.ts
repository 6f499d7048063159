import { Global, Module } from '@nestjs/common';
import type { TokenClaims } from '../../events/auth/token-claims';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import type { InventoryLineRecord } from '../../events/ports/compliance-store.port';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { VERIFY_SUBJECT } from '../../test/support/verification-registry';
import { InspectionHarness } from '../../test/temporal/inspection-harness';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { COMPLIANCE_STORE, EVENT_LOG, READ_MODELS, TEMPORAL_CLIENT, TEMPORAL_TARGET } from '../tokens';
import { InspectionModule } from './inspection.module';

const STORE: ComplianceParty = { role: 'store', id: 'huawei-appgallery' };
const line = (lineNo: number, fields: Partial<InventoryLineRecord>): InventoryLineRecord => ({
  lineNo,
  kind: 'package',
  value: 'com.example.maps',
  province: '440000',
  statusAtReport: 'registered',
  ...fields,
});

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

/** The inspection routes over real HTTP: workflow on the Temporal test server, real SQLite log and read models. */
describe('inspection routes', () => {
  let harness: InspectionHarness;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await InspectionHarness.start();
    harness.inventories.report(STORE, '2026-12-01', [
      line(1, { signatureMd5: 'a'.repeat(32) }),
      line(2, { value: 'com.example.unlisted', statusAtReport: 'not_registered' }),
      line(3, { signatureMd5: 'e'.repeat(32), statusAtReport: 'identifier_mismatch' }),
    ]);
    await harness.runWorker();
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    const claims: Record<string, TokenClaims> = {
      bureau: { sub: 'officer-gd', role: 'bureau', province: '440000' },
      beijing: { sub: 'officer-bj', role: 'bureau', province: '110000' },
      store: { sub: 'appgallery-ops', role: 'store', org: 'huawei-appgallery' },
      xiaomi: { sub: 'xiaomi-ops', role: 'device_maker', org: 'xiaomi' },
      auditor: { sub: 'audit-1', role: 'auditor' },
      platform: { sub: 'wechat-ops', role: 'platform', platformId: 'wechat' },
    };
    for (const [name, claim] of Object.entries(claims)) tokens[name] = await verifier.issue(claim);

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: EVENT_LOG, useValue: harness.eventLog },
        { provide: READ_MODELS, useValue: harness.readModels },
        { provide: COMPLIANCE_STORE, useValue: harness.inventories },
        { provide: TEMPORAL_CLIENT, useValue: harness.client },
        {
          provide: TEMPORAL_TARGET,
          useValue: { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
        },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG, READ_MODELS, COMPLIANCE_STORE, TEMPORAL_CLIENT, TEMPORAL_TARGET],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule, InspectionModule],
    });
  });

  afterAll(async () => {
    await server?.close();
    await harness?.stop();
  });

  async function call(
    method: string,
    path: string,
    who: string,
    body?: unknown,
    key?: string,
  ): Promise<Answer> {
    const response = await fetch(server.url(path), {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: (response.headers.get('content-type') ?? '').split(';')[0] ?? '',
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  const open = (body: unknown, key = 'inspection-1', who = 'bureau') =>
    call('POST', '/v1/compliance/inspections', who, body, key);
  const errorsOf = (answer: Answer) =>
    (answer.body.errors as { path: string; rule: string }[]).map(({ path, rule }) => ({ path, rule }));
  let inspectionId = '';
  const findingPath = (findingId: string, action: string) =>
    `/v1/compliance/inspections/${inspectionId}/findings/${findingId}/${action}`;

  it('a bureau opens an inspection of a party: 201 with the findings and the due date; the same key answers the same', async () => {
    const opened = await open({ party: STORE, note: '季度核查' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      province: '440000',
      party: STORE,
      status: 'open',
      dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      findings: [
        { findingId: 'f1', value: 'com.example.unlisted', problem: 'unregistered', state: 'open' },
        { findingId: 'f2', problem: 'mismatched', serviceNumber: `${VERIFY_SUBJECT}-1A`, state: 'open' },
      ],
    });
    inspectionId = opened.body.inspectionId as string;
    const again = await open({ party: STORE, note: '季度核查' });
    expect(again.body.inspectionId).toBe(inspectionId);
  });

  it('refuses at submission: a party without inventory (422 naming party), bad input (400 naming the field), another role (403)', async () => {
    const never = await open({ party: { role: 'isp', id: '中国电信' } }, 'inspection-2');
    expect(never.status).toBe(422);
    expect(never.type).toBe('application/problem+json');
    expect(errorsOf(never)).toEqual([{ path: 'party', rule: 'no_inventory' }]);

    const bad = await open({ party: { role: 'bank', id: ' ' }, answerWithinWorkingDays: 31 }, 'inspection-3');
    expect(bad.status).toBe(400);
    expect(errorsOf(bad)).toEqual(
      expect.arrayContaining([
        { path: 'party.role', rule: 'invalid_choice' },
        { path: 'party.id', rule: 'invalid' },
        { path: 'answerWithinWorkingDays', rule: 'out_of_range' },
      ]),
    );
    expect((await open({ party: STORE }, 'inspection-4', 'store')).status).toBe(403);
    expect((await call('POST', '/v1/compliance/inspections', 'bureau', { party: STORE })).status).toBe(400);
  });

  it('shows an inspection to its bureau, its party and auditors only', async () => {
    const ids = async (who: string) =>
      (
        (await call('GET', '/v1/compliance/inspections?status=open', who)).body.items as {
          inspectionId: string;
        }[]
      ).map((item) => item.inspectionId);
    expect(await ids('bureau')).toEqual([inspectionId]);
    expect(await ids('store')).toEqual([inspectionId]);
    expect(await ids('auditor')).toEqual([inspectionId]);
    expect(await ids('beijing')).toEqual([]);
    expect(await ids('xiaomi')).toEqual([]);
    expect((await call('GET', `/v1/compliance/inspections/${inspectionId}`, 'beijing')).status).toBe(404);
    expect((await call('GET', `/v1/compliance/inspections/${inspectionId}`, 'store')).status).toBe(200);
    expect((await call('GET', '/v1/compliance/inspections', 'platform')).status).toBe(403);
    const badStatus = await call('GET', '/v1/compliance/inspections?status=lost', 'bureau');
    expect(errorsOf(badStatus)).toEqual([{ path: 'status', rule: 'invalid_choice' }]);
  });

  it('the party answers a finding once; a dispute needs a note, registered_since a registration carrying the identifier', async () => {
    const removed = await call('POST', findingPath('f1', 'answer'), 'store', { answer: 'removed' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ findingId: 'f1', state: 'answered', answer: { answer: 'removed' } });

    const twice = await call('POST', findingPath('f1', 'answer'), 'store', {
      answer: 'disputed',
      note: '误报',
    });
    expect(twice.status).toBe(409);
    expect(errorsOf(twice)).toEqual([{ path: 'findingId', rule: 'finding_already_answered' }]);

    const noNote = await call('POST', findingPath('f2', 'answer'), 'store', { answer: 'disputed' });
    expect(errorsOf(noNote)).toEqual([{ path: 'note', rule: 'required' }]);
    const noNumber = await call('POST', findingPath('f2', 'answer'), 'store', { answer: 'registered_since' });
    expect(errorsOf(noNumber)).toEqual([{ path: 'serviceNumber', rule: 'required' }]);
    const notCarrying = await call('POST', findingPath('f2', 'answer'), 'store', {
      answer: 'registered_since',
      serviceNumber: `${VERIFY_SUBJECT}-1A`,
    });
    expect(notCarrying.status).toBe(422);
    expect(errorsOf(notCarrying)).toEqual([{ path: 'serviceNumber', rule: 'not_registered_for_identifier' }]);

    expect((await call('POST', findingPath('f2', 'answer'), 'xiaomi', { answer: 'removed' })).status).toBe(
      404,
    );
    expect((await call('POST', findingPath('f2', 'answer'), 'bureau', { answer: 'removed' })).status).toBe(
      403,
    );
    expect((await call('POST', findingPath('f9', 'answer'), 'store', { answer: 'removed' })).status).toBe(
      404,
    );
    const malformed = await call(
      'POST',
      '/v1/compliance/inspections/not%20an%20id/findings/f1/answer',
      'store',
      {
        answer: 'removed',
      },
    );
    expect(errorsOf(malformed)).toEqual([{ path: 'inspectionId', rule: 'pattern' }]);
  });

  it('the bureau of the province decides a disputed finding; the inspection closes when every finding is settled', async () => {
    const undecidable = await call('POST', findingPath('f1', 'decision'), 'bureau', {
      decision: 'upheld',
      note: '—',
    });
    expect(errorsOf(undecidable)).toEqual([{ path: 'findingId', rule: 'finding_not_decidable' }]);

    const disputed = await call('POST', findingPath('f2', 'answer'), 'store', {
      answer: 'disputed',
      note: '签名为厂商定制渠道包',
    });
    expect(disputed.body).toMatchObject({ state: 'answered', answer: { answer: 'disputed' } });
    expect(
      (await call('POST', findingPath('f2', 'decision'), 'bureau', { decision: 'dismissed' })).status,
    ).toBe(400);
    const elsewhere = await call('POST', findingPath('f2', 'decision'), 'beijing', {
      decision: 'dismissed',
      note: '—',
    });
    expect(elsewhere.status).toBe(404);

    const decided = await call('POST', findingPath('f2', 'decision'), 'bureau', {
      decision: 'dismissed',
      note: '渠道包签名经核实',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: 'decided', decision: { decision: 'dismissed' } });
    const view = await call('GET', `/v1/compliance/inspections/${inspectionId}`, 'bureau');
    expect(view.body.status).toBe('closed');
    await harness.client.workflow.getHandle(`compliance-inspection-${inspectionId}`).result();

    // Once closed, the same decision or answer again answers the same; another is refused.
    const again = await call('POST', findingPath('f2', 'decision'), 'bureau', {
      decision: 'dismissed',
      note: '渠道包签名经核实',
    });
    expect(again).toMatchObject({ status: 200, body: { state: 'decided' } });
    const other = await call('POST', findingPath('f2', 'decision'), 'bureau', {
      decision: 'upheld',
      note: '改判',
    });
    expect(errorsOf(other)).toEqual([{ path: 'findingId', rule: 'finding_already_decided' }]);
    expect((await call('POST', findingPath('f1', 'answer'), 'store', { answer: 'removed' })).status).toBe(
      200,
    );
  });
});
