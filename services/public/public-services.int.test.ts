import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../events/filing/envelope';
import type { FilingEvent } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { Json } from '../../events/ports/event-log.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { historiesByStatus } from '../../test/support/decider-spec';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { personalDataOf, submittedEvent, validatedForm } from '../../test/support/projection-fixtures';
import { serviceStreamId } from '../../events/registry/registry-streams';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  subjectStreamIdOf,
  toAppend,
} from '../../test/support/registry-fixtures';
import { startProjector } from '../projections/projector';
import { verifyProjection } from '../projections/rebuild';
import { READ_MODELS } from '../tokens';
import { REGISTRY_SIGNING_KEYS } from '../signing/signing.tokens';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { PublicController } from './public.controller';

const SUBJECT = '粤ICP备2026000123号';

/** A filing's history to publication under `serviceNumber`, as the workflow records it. */
function issued(
  filingId: string,
  serviceNumber: string,
  submitted = submittedEvent(filingId),
): FilingEvent[] {
  return historiesByStatus(submitted).completed.map((event): FilingEvent => {
    if (event.type === 'RegistrationNumberIssued')
      return { ...event, data: { subjectNumber: SUBJECT, serviceNumber } };
    if (event.type === 'RegistrationPublished')
      return { ...event, data: { ...event.data, registrationNumber: serviceNumber } };
    return event;
  });
}

describe('GET /v1/public/services: the registry looked up by anyone, over a real SQLite log and read models', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-public-services-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  const answers: string[] = [];

  async function lookup(
    query: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(server.url(`/v1/public/services?${new URLSearchParams(query).toString()}`));
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }
  const numbersFound = async (query: Record<string, string>) =>
    ((await lookup(query)).body.items as Array<{ serviceNumber: string }>).map((item) => item.serviceNumber);

  async function appendFiling(filingId: string, events: readonly FilingEvent[]): Promise<void> {
    const sealed = sealFilingEvents(EMPTY_STREAM, events, {
      filingId,
      occurredAt: '2026-12-01T02:00:00.000Z',
      actor: SYSTEM_ACTOR,
      correlationId: filingId,
      causationId: `issue-${filingId}`,
    });
    const envelopes = sealed.envelopes.map(({ id, type, data, metadata }) => ({
      id,
      type,
      data: data as unknown as Json,
      metadata: metadata as unknown as Json,
    }));
    await log.appendToStream(filingStreamId(filingId), envelopes, { expectedRevision: 'no_stream' });
  }

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dataDir, loadChineseCalendar());
    await appendFiling('f-app', issued('f-app', `${SUBJECT}-1A`));
    const miniProgram = submittedEvent('f-mp', {
      serviceType: 'mini_program',
      appName: '示例读书笔记',
      form: validatedForm('valid-mini-program'),
    });
    await appendFiling('f-mp', issued('f-mp', `${SUBJECT}-2X`, miniProgram));
    const subjectStream = subjectStreamIdOf('440000');
    await log.appendToStream(
      subjectStream,
      [
        toAppend(
          registryRecorded(subjectStream, 'SubjectRegistered', subjectRegistered({ subjectNumber: SUBJECT })),
          crypto.randomUUID(),
        ),
      ],
      { expectedRevision: 'no_stream' },
    );
    const quickApp = serviceRegistered({
      serviceNumber: `${SUBJECT}-3K`,
      subjectNumber: SUBJECT,
      serviceType: 'quick_app',
      name: '示例快应用',
      identifiers: { packages: [], bundles: [], quickAppPackage: 'com.example.quick', domains: [] },
    });
    const quickStream = serviceStreamId(quickApp.serviceNumber);
    await log.appendToStream(
      quickStream,
      [toAppend(registryRecorded(quickStream, 'ServiceRegistered', quickApp), crypto.randomUUID())],
      {
        expectedRevision: 'no_stream',
      },
    );
    // Two more apps: one whose only ISP withdrew its access, one cancelled.
    const appended = async (recorded: ReturnType<typeof registryRecorded>) =>
      log.appendToStream(recorded.streamId, [toAppend(recorded, crypto.randomUUID())], {
        expectedRevision: 'any',
      });
    const service = (n: string, name: string, packageName: string) =>
      serviceRegistered({
        serviceNumber: `${SUBJECT}-${n}`,
        subjectNumber: SUBJECT,
        name,
        identifiers: {
          packages: [{ os: 'android', packageName, signatureMd5: 'c'.repeat(32) }],
          bundles: [],
          domains: [],
        },
        accesses: [{ ispName: '阿里云', filingId: `f-${n}` }],
        filingId: `f-${n}`,
      });
    const on = (n: string, type: Parameters<typeof registryRecorded>[1], data: object) =>
      registryRecorded(serviceStreamId(`${SUBJECT}-${n}`), type, data as never);
    await appended(on('4A', 'ServiceRegistered', service('4A', '示例相册', 'com.example.album')));
    await appended(
      on('4A', 'ServiceAccessWithdrawn', {
        withdrawalId: 'w-4A',
        ispName: '阿里云',
        reason: '合同到期',
        withdrawnOn: '2026-12-03',
      }),
    );
    await appended(on('5A', 'ServiceRegistered', service('5A', '示例天气', 'com.example.weather')));
    await appended(
      on('5A', 'ServiceCancelled', { filingId: 'f-5A-x', cancelledOn: '2026-12-04', scope: 'service' }),
    );
    // The filing-based public registry: a change renames 2X, a cancellation ends 1A.
    const acting = (
      filingId: string,
      kind: 'change' | 'cancellation',
      serviceNumber: string,
      appName: string,
    ): FilingEvent[] =>
      historiesByStatus(
        submittedEvent(filingId, { kind, target: { subjectNumber: SUBJECT, serviceNumber }, appName }),
      ).completed.map((event) =>
        event.type === 'RegistrationPublished'
          ? { ...event, data: { ...event.data, registrationNumber: serviceNumber, appName } }
          : event,
      );
    await appendFiling('f-mp-change', acting('f-mp-change', 'change', `${SUBJECT}-2X`, '示例读书笔记 Plus'));
    await appendFiling('f-app-cancel', acting('f-app-cancel', 'cancellation', `${SUBJECT}-1A`, '示例记账'));
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();
    server = await startHttpTestApp({
      controllers: [PublicController],
      providers: [
        { provide: READ_MODELS, useValue: store },
        { provide: REGISTRY_SIGNING_KEYS, useValue: loadRegistrySigningKeys(dataDir, {}) },
      ],
    });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds an issued service by package name, bundle id, mini-program id, domain and quick-app package', async () => {
    expect(await numbersFound({ packageName: 'com.example.ledger' })).toEqual([`${SUBJECT}-1A`]);
    expect(await numbersFound({ bundleId: 'com.example.ledger' })).toEqual([`${SUBJECT}-1A`]);
    expect(await numbersFound({ miniProgramId: 'wx3f8a6c2d9e1b4a70' })).toEqual([`${SUBJECT}-2X`]);
    expect(await numbersFound({ domain: 'Notes.Example.NET' })).toEqual([`${SUBJECT}-2X`]);
    expect(await numbersFound({ domain: 'api.example.com' })).toEqual([`${SUBJECT}-1A`]);
    expect(await numbersFound({ quickAppPackage: 'com.example.quick' })).toEqual([`${SUBJECT}-3K`]);
    expect(await numbersFound({ name: '读书' })).toEqual([`${SUBJECT}-2X`]);
    expect(await numbersFound({ packageName: 'com.example.nothing' })).toEqual([]);
  });

  it('answers the public fields of a service', async () => {
    const { status, body } = await lookup({ serviceNumber: `${SUBJECT}-1A` });
    expect(status).toBe(200);
    expect(body).toEqual({
      items: [
        {
          serviceNumber: `${SUBJECT}-1A`,
          subjectNumber: SUBJECT,
          serviceName: '示例记账',
          serviceType: 'app',
          operatorName: '深圳市示例账本科技有限公司',
          operatorNature: 'enterprise',
          identifiers: {
            packages: expect.arrayContaining([{ os: 'android', packageName: 'com.example.ledger' }]),
            bundles: [{ bundleId: 'com.example.ledger' }],
            domains: ['api.example.com', 'static.example.com', 'xn--cd3au2a.example.com'],
          },
          preApprovalCategories: [],
          approvedOn: '2026-12-01',
          version: 1,
          status: 'active',
        },
      ],
    });
    expect(JSON.stringify(body)).not.toMatch(/signature|filingId|accesses/);
  });

  it('finds a cancelled service by its number or package name, with its status and date', async () => {
    const queries: Array<Record<string, string>> = [
      { serviceNumber: `${SUBJECT}-5A` },
      { packageName: 'com.example.weather' },
    ];
    for (const query of queries) {
      const { status, body } = await lookup(query);
      expect(status).toBe(200);
      expect(body.items).toEqual([
        expect.objectContaining({
          serviceNumber: `${SUBJECT}-5A`,
          serviceName: '示例天气',
          status: 'cancelled',
          cancelledOn: '2026-12-04',
        }),
      ]);
    }
    const withdrawn = await lookup({ packageName: 'com.example.album' });
    expect(withdrawn.body.items).toEqual([
      expect.objectContaining({ status: 'access_withdrawn', accessWithdrawnOn: '2026-12-03' }),
    ]);
    expect((withdrawn.body.items as Array<Record<string, unknown>>)[0]?.cancelledOn).toBeUndefined();
  });

  it('narrows a lookup to a status', async () => {
    expect(await numbersFound({ subjectNumber: SUBJECT, status: 'cancelled' })).toEqual([`${SUBJECT}-5A`]);
    expect(await numbersFound({ subjectNumber: SUBJECT, status: 'access_withdrawn' })).toEqual([
      `${SUBJECT}-4A`,
    ]);
    expect(await numbersFound({ name: '示例', status: 'active' })).toEqual([
      `${SUBJECT}-1A`,
      `${SUBJECT}-2X`,
      `${SUBJECT}-3K`,
    ]);
    const wrong = await lookup({ name: '示例', status: 'gone' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'status', rule: 'invalid_choice' })]);
  });

  it('says in the filing-based public registry what change and cancellation filings published', async () => {
    const registration = async (number: string) => {
      const response = await fetch(
        server.url(`/v1/public/registrations?number=${encodeURIComponent(number)}`),
      );
      const text = await response.text();
      answers.push(text);
      return (JSON.parse(text) as { items: Array<Record<string, unknown>> }).items;
    };
    expect(await registration(`${SUBJECT}-1A`)).toEqual([
      expect.objectContaining({ status: 'cancelled', cancelledOn: '2026-12-01', appName: '示例记账' }),
    ]);
    expect(await registration(`${SUBJECT}-2X`)).toEqual([
      expect.objectContaining({
        status: 'active',
        appName: '示例读书笔记 Plus',
        changedAt: expect.any(String),
      }),
    ]);
  });

  it('answers a subject with its active services, a page at a time', async () => {
    const first = await lookup({ subjectNumber: SUBJECT, limit: '2' });
    expect(first.body.subject).toEqual({
      subjectNumber: SUBJECT,
      province: '440000',
      operatorName: '广州示例地图有限公司',
      operatorNature: 'enterprise',
      status: 'active',
    });
    expect((first.body.items as unknown[]).length).toBe(2);
    const second = await lookup({
      subjectNumber: SUBJECT,
      limit: '2',
      cursor: String(first.body.nextCursor),
    });
    expect(second.body.items).toEqual([
      expect.objectContaining({ serviceNumber: `${SUBJECT}-3K`, serviceType: 'quick_app' }),
    ]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('refuses a lookup without a key, and a cursor it did not issue, with 400 naming the field', async () => {
    const none = await lookup({ limit: '5' });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([expect.objectContaining({ path: '$', rule: 'required' })]);
    const cursor = await lookup({ subjectNumber: SUBJECT, cursor: 'bm9wZQ' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: 'cursor', rule: 'invalid_cursor' })]);
  });

  it('keeps the existing registration lookup answering as before', async () => {
    const response = await fetch(
      server.url(`/v1/public/registrations?number=${encodeURIComponent(`${SUBJECT}-1A`)}`),
    );
    const text = await response.text();
    answers.push(text);
    expect(JSON.parse(text)).toEqual({
      items: [expect.objectContaining({ registrationNumber: `${SUBJECT}-1A`, appName: '示例记账' })],
    });
  });

  it('rebuilds the registry from the log into identical rows (`icp projections rebuild --verify`)', async () => {
    const outcome = await verifyProjection({ eventLog: log, store, name: 'registry' });
    expect(outcome).toMatchObject({ identical: true, projection: 'registry' });
    expect(outcome.rows).toBeGreaterThan(0);
    const publicOutcome = await verifyProjection({ eventLog: log, store, name: 'public_registry' });
    expect(publicOutcome).toMatchObject({ identical: true, projection: 'public_registry' });
  });

  it('never answers an ID number, a mobile or an e-mail of the forms', async () => {
    const personal = [
      ...personalDataOf(loadValidForm('valid-app')),
      ...personalDataOf(loadValidForm('valid-mini-program')),
    ];
    expect(personal).toEqual(
      expect.arrayContaining(['440305198503120036', '13800138000', 'lisi@example.com']),
    );
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) for (const value of personal) expect(answer).not.toContain(value);
  });
});
