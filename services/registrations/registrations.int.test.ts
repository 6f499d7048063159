import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { WorkflowHandle } from '@temporalio/client';
import type { Actor } from '../../events/filing/actor';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RegistrationForm } from '../../events/form/registration-form';
import { validateRegistrationForm } from '../../events/form/validate-form';
import { EMPTY_REGISTRY_STREAM, sealRegistryEvent } from '../../events/registry/registry-envelope';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { openIdempotencyKeys } from '../../infra/idempotency/idempotency-keys';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { createRegistryUpdater } from '../../activities/registry-updates/registry-updater';
import { EXISTING_SUBJECT_OF_FIXTURE, registerImportedSubject } from '../../test/support/registry-subjects';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { runKindsWorker } from '../../test/temporal/kinds-worker';
import {
  bureauReviewUpdate,
  platformReviewUpdate,
  smsVerificationUpdate,
  withdrawalUpdate,
} from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { FilingGateway } from '../filings/filing-gateway';
import { FilingsService } from '../filings/filings.service';
import { IdentifierClaims } from '../filings/identifier-claims';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { ProblemException, type ProblemDetails } from '../http/problem-details';
import { EVENT_LOG, IDEMPOTENCY_KEYS, READ_MODELS, TEMPORAL_CLIENT, TEMPORAL_TARGET } from '../tokens';
import { RegistrationsModule } from './registrations.module';
import { RegistrationsService } from './registrations.service';

type Handle = WorkflowHandle<typeof filingWorkflow>;
type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const OTHER_PLATFORM: Actor = { role: 'platform', id: 'reviewer-1', platformId: 'alipay' };
const APP_PRINCIPAL = { mobile: '+8613900139000', idLast6: '150043' };

/** valid-app with its identifiers made its own by `tag`, changed by `change`, as a client sends it. */
function appForm(tag: string, change: (form: Editable) => void = () => undefined): Editable {
  const form = loadValidForm('valid-app') as Editable;
  form.app.platforms = form.app.platforms.map((p: Editable) =>
    p.os === 'ios'
      ? { ...p, bundleId: `com.example.ledger.${tag}` }
      : { ...p, packageName: `com.example.${p.os}.${tag}` },
  );
  change(form);
  return form;
}

function validated(form: unknown): RegistrationForm {
  const result = validateRegistrationForm(form, { submittedOn: '2026-12-07' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

async function refusal(attempt: Promise<unknown>): Promise<ProblemDetails> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProblemException);
  return (error as ProblemException).problem;
}

describe('changes, cancellations and new accesses at submission', () => {
  let harness: FilingHarness;
  let worker: { stop(): Promise<void> };
  let readModels: SqliteReadModelStore;
  let registrations: RegistrationsService;
  let keysDb: Database.Database;
  let counter = 0;
  const action = (what: string) => `${what}-${(counter += 1)}`;
  const key = () => `key-${randomUUID()}`;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    worker = await runKindsWorker(harness);
    const gateway = new FilingGateway(
      { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
      harness.client,
    );
    const keys = openIdempotencyKeys(harness.config.dataDir);
    const filings = new FilingsService(
      gateway,
      keys,
      harness.eventLog,
      new IdentifierClaims(harness.eventLog),
    );
    readModels = openReadModels(harness.config.dataDir, loadChineseCalendar());
    registrations = new RegistrationsService(filings, harness.eventLog, readModels);
    keysDb = new Database(join(harness.config.dataDir, 'api.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    keysDb?.close();
    await readModels?.close();
    await worker?.stop();
    await harness?.stop();
  });

  /** A refusal that leaves the log as it was, binds no Idempotency-Key (so no filing id), starts nothing. */
  async function refusedWithNothingWritten(
    attempt: (idempotencyKey: string) => Promise<unknown>,
  ): Promise<ProblemDetails> {
    const idempotencyKey = key();
    const before = await harness.eventLog.headPosition();
    const problem = await refusal(attempt(idempotencyKey));
    expect(await harness.eventLog.headPosition()).toBe(before);
    const bound = keysDb
      .prepare('SELECT count(*) AS n FROM submission_keys WHERE idempotency_key = ?')
      .get(idempotencyKey) as { n: number };
    expect(bound.n).toBe(0);
    return problem;
  }

  /** A new registration carried to its number by the platform, the applicant and the bureau. */
  async function registered(tag: string) {
    const form = appForm(tag);
    const handle = await harness.startFiling(form);
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: action('pr'),
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode(APP_PRINCIPAL.mobile), APP_PRINCIPAL.idLast6);
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: action('sms'),
    });
    await harness.waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: bureauOf('440000'), decision: 'approve' }],
      updateId: action('br'),
    });
    const outcome = await handle.result();
    const serviceNumber = String(outcome.registrationNumber);
    return {
      form,
      serviceNumber,
      subjectNumber: serviceNumber.replace(/-\d+A$/, ''),
      filingId: handle.workflowId.replace(/^filing-/, ''),
    };
  }

  const handleOf = (filingId: string): Handle => harness.client.workflow.getHandle(filingStreamId(filingId));
  const withdraw = async (filingId: string) => {
    harness.startedFilingIds.push(filingId);
    await handleOf(filingId).executeUpdate(withdrawalUpdate, {
      args: [{ actor: PLATFORM }],
      updateId: action('wd'),
    });
  };
  /** A cancellation cannot be withdrawn once submitted: the platform's review ends it instead. */
  const rejectAtPlatform = async (filingId: string) => {
    harness.startedFilingIds.push(filingId);
    const handle = handleOf(filingId);
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'reject', reasons: '测试结束' }],
      updateId: action('pr-reject'),
    });
  };
  const submittedData = async (filingId: string) =>
    (await harness.events(filingId))[0]?.data as Record<string, unknown>;

  let base: Awaited<ReturnType<typeof registered>>;
  beforeAll(async () => {
    base = await registered('reg1');
  });

  describe('a change', () => {
    it('starts a filing of kind change with the target and what it alters, claiming only its new identifiers', async () => {
      const proposed = appForm('reg1', (f) => {
        f.app.domains = ['api.example.com', 'new.example.com'];
        f.app.platforms[0].packageName = 'com.example.android.reg1new';
      });
      const idempotencyKey = key();
      const view = await registrations.change(
        PLATFORM,
        idempotencyKey,
        base.serviceNumber,
        validated(proposed),
      );
      const target = {
        subjectNumber: base.subjectNumber,
        serviceNumber: base.serviceNumber,
        alters: { subject: false, service: true },
        baseFilingId: base.filingId,
      };
      expect(view).toMatchObject({ status: 'submitted', kind: 'change', target, platformId: 'wechat' });
      expect(await submittedData(view.filingId)).toMatchObject({ kind: 'change', target });

      // The same request again is the same filing.
      const again = await registrations.change(
        PLATFORM,
        idempotencyKey,
        base.serviceNumber,
        validated(proposed),
      );
      expect(again.filingId).toBe(view.filingId);

      // Its new package name is claimed: a new filing for it is refused while the change is open.
      const taken = await refusal(
        new FilingsService(
          new FilingGateway(
            { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
            harness.client,
          ),
          openIdempotencyKeys(harness.config.dataDir),
          harness.eventLog,
          new IdentifierClaims(harness.eventLog),
        ).submit(
          OTHER_PLATFORM,
          key(),
          appForm('other', (f) => (f.app.platforms[0].packageName = 'com.example.android.reg1new')),
        ),
      );
      expect(taken).toMatchObject({ status: 409, errors: [{ path: 'app.platforms.0.packageName' }] });
      await withdraw(view.filingId);
    });

    it.each([
      [
        'operator.province',
        (f: Editable) => Object.assign(f.operator, { province: '110000', city: '北京市' }),
      ],
      ['operator.creditCode', (f: Editable) => (f.operator.creditCode = '91110108MA01KPGK0L')],
    ])('refuses altering %s with 400 naming it, nothing written, no workflow', async (path, change) => {
      const proposed = validated(appForm('reg1', change));
      const problem = await refusedWithNothingWritten((k) =>
        registrations.change(PLATFORM, k, base.serviceNumber, proposed),
      );
      expect(problem).toMatchObject({
        status: 400,
        errors: [{ path: `form.${path}`, rule: 'immutable_on_change' }],
      });
    });

    it('refuses a change identical to the registered version with 400', async () => {
      const problem = await refusedWithNothingWritten((k) =>
        registrations.change(PLATFORM, k, base.serviceNumber, validated(appForm('reg1'))),
      );
      expect(problem).toMatchObject({ status: 400, errors: [{ path: 'form', rule: 'no_difference' }] });
    });

    it('refuses an unknown number, and another platform’s registration, with 404', async () => {
      const proposed = validated(appForm('reg1', (f) => (f.app.name = '示例记账 Pro')));
      const unknown = base.serviceNumber.replace(/-\d+A$/, '-99A');
      expect(
        await refusedWithNothingWritten((k) => registrations.change(PLATFORM, k, unknown, proposed)),
      ).toMatchObject({
        status: 404,
      });
      expect(
        await refusedWithNothingWritten((k) =>
          registrations.change(OTHER_PLATFORM, k, base.serviceNumber, proposed),
        ),
      ).toMatchObject({ status: 404 });
    });
  });

  describe('a new access', () => {
    it('refuses an ISP already serving the service with 409', async () => {
      const problem = await refusedWithNothingWritten((k) =>
        registrations.newAccess(PLATFORM, k, base.serviceNumber, base.form.access),
      );
      expect(problem).toMatchObject({
        status: 409,
        errors: [{ path: 'access.ispName', rule: 'isp_already_serving' }],
      });
    });

    it('starts a new-access filing on the registered form with the access replaced', async () => {
      const access = { ...base.form.access, ispName: '腾讯云计算（北京）有限责任公司' };
      const view = await registrations.newAccess(PLATFORM, key(), base.serviceNumber, access);
      expect(view).toMatchObject({ kind: 'new_access', target: { serviceNumber: base.serviceNumber } });
      const data = await submittedData(view.filingId);
      expect((data.form as Editable).access.ispName).toBe('腾讯云计算（北京）有限责任公司');
      expect((data.form as Editable).app.name).toBe(base.form.app.name);
      await withdraw(view.filingId);
    });

    it('refuses an invalid access section with 400 naming its fields', async () => {
      const problem = await refusedWithNothingWritten((k) =>
        registrations.newAccess(PLATFORM, k, base.serviceNumber, { ...base.form.access, ipAddresses: [] }),
      );
      expect(problem).toMatchObject({ status: 400, errors: [{ path: 'access.ipAddresses' }] });
    });
  });

  describe('cancellations', () => {
    it('starts a service cancellation with its reasons, and refuses everything once the service is cancelled', async () => {
      const service = await registered('reg2');
      const cancellationKey = key();
      const view = await registrations.cancelService(
        PLATFORM,
        cancellationKey,
        service.serviceNumber,
        '应用下线',
      );
      expect(view).toMatchObject({ kind: 'cancellation', target: { serviceNumber: service.serviceNumber } });
      expect(await submittedData(view.filingId)).toMatchObject({ reasons: '应用下线' });
      await rejectAtPlatform(view.filingId);

      await createRegistryUpdater({ eventLog: harness.eventLog }).apply({
        filingId: randomUUID(),
        kind: 'cancellation',
        target: { subjectNumber: service.subjectNumber, serviceNumber: service.serviceNumber },
        provinceCode: '440000',
        subjectKey: 'uscc:91440300MA5G2K8L3X',
        at: new Date().toISOString(),
      });
      const changed = validated(appForm('reg2', (f) => (f.app.name = '示例记账 Pro')));
      for (const attempt of [
        (k: string) => registrations.change(PLATFORM, k, service.serviceNumber, changed),
        (k: string) => registrations.cancelService(PLATFORM, k, service.serviceNumber, undefined),
        (k: string) =>
          registrations.newAccess(PLATFORM, k, service.serviceNumber, {
            ...service.form.access,
            ispName: '某 ISP',
          }),
      ]) {
        expect(await refusedWithNothingWritten(attempt)).toMatchObject({
          status: 409,
          type: expect.stringContaining('registration-cancelled'),
        });
      }
      // The first request sent again under its key is a retry: the filing it started, not a refusal.
      const retried = await registrations.cancelService(
        PLATFORM,
        cancellationKey,
        service.serviceNumber,
        '应用下线',
      );
      expect({ filingId: retried.filingId, status: retried.status }).toEqual({
        filingId: view.filingId,
        status: 'rejected',
      });
    });

    it('refuses a service imported without its form with 409, on any platform’s word', async () => {
      await registerImportedSubject(harness.eventLog, EXISTING_SUBJECT_OF_FIXTURE);
      const serviceNumber = '沪ICP备2021012345号-1';
      const streamId = serviceStreamId(serviceNumber);
      const { envelope } = sealRegistryEvent(
        streamId,
        EMPTY_REGISTRY_STREAM,
        {
          type: 'ServiceRegistered',
          data: {
            serviceNumber,
            subjectNumber: '沪ICP备2021012345号',
            serviceType: 'website',
            name: '示例教育官网',
            identifiers: { packages: [], bundles: [], domains: ['edu.example.com'] },
            preApprovalCategories: [],
            approvedOn: '2021-03-01',
            operatorName: EXISTING_SUBJECT_OF_FIXTURE.operatorName ?? '',
            operatorNature: 'enterprise',
            source: 'imported',
          },
        },
        {
          occurredAt: '2026-01-05T02:00:00.000Z',
          recordedBy: { role: 'admin', id: 'test-import' },
          causationId: 'import:1',
        },
      );
      await harness.eventLog.appendToStream(streamId, [envelope], { expectedRevision: 'no_stream' });
      for (const actor of [PLATFORM, OTHER_PLATFORM]) {
        expect(
          await refusedWithNothingWritten((k) =>
            registrations.cancelService(actor, k, serviceNumber, undefined),
          ),
        ).toMatchObject({ status: 409, type: expect.stringContaining('registration-without-form') });
      }
    });

    it('starts a subject cancellation on the registered form of its services, and refuses an unknown subject with 404', async () => {
      const store = readModels.live('registry');
      await store.applyBatch(await harness.eventLog.readAll());
      const view = await registrations.cancelSubject(PLATFORM, key(), base.subjectNumber, undefined);
      expect(view).toMatchObject({ kind: 'cancellation', target: { subjectNumber: base.subjectNumber } });
      expect(view.target?.serviceNumber).toBeUndefined();
      await rejectAtPlatform(view.filingId);

      expect(
        await refusedWithNothingWritten((k) =>
          registrations.cancelSubject(OTHER_PLATFORM, k, base.subjectNumber, undefined),
        ),
      ).toMatchObject({ status: 404 });
      expect(
        await refusedWithNothingWritten((k) =>
          registrations.cancelSubject(PLATFORM, k, '粤ICP备2026999999号', undefined),
        ),
      ).toMatchObject({ status: 404 });
    });
  });

  describe('over HTTP', () => {
    let server: HttpTestApp;
    let token: string;

    beforeAll(async () => {
      const dataDir = harness.config.dataDir;
      const infra = [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir }) },
        { provide: EVENT_LOG, useValue: harness.eventLog },
        { provide: READ_MODELS, useValue: readModels },
        { provide: IDEMPOTENCY_KEYS, useValue: openIdempotencyKeys(dataDir) },
        { provide: TEMPORAL_CLIENT, useValue: harness.client },
        {
          provide: TEMPORAL_TARGET,
          useValue: { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
        },
      ];
      @Global()
      @Module({ providers: infra, exports: infra.map(({ provide }) => provide) })
      class TestInfraModule {}
      server = await startHttpTestApp({ imports: [TestInfraModule, AuthModule, RegistrationsModule] });
      token = await createTokenVerifier({ dataDir }).issue({
        sub: 'wechat-ops',
        role: 'platform',
        platformId: 'wechat',
      });
    });
    afterAll(async () => server?.close());

    const post = async (path: string, body: unknown, idempotencyKey: string | null = key()) => {
      const response = await fetch(server.url(path), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
        },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        body: (await response.json()) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
      };
    };
    const changes = () => `/v1/registrations/${encodeURIComponent(base.serviceNumber)}/changes`;

    it('answers a change with 202 (started) and the filing, with its kind and target', async () => {
      const response = await post(changes(), {
        form: appForm('reg1', (f) => (f.app.name = '示例记账 HTTP')),
      });
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({
        status: 'submitted',
        kind: 'change',
        target: { serviceNumber: base.serviceNumber, alters: { subject: false, service: true } },
        links: { self: `/v1/filings/${String(response.body.filingId)}` },
      });
      await withdraw(String(response.body.filingId));
    });

    it('refuses a change of the certificate number with 400 problem+json naming the field', async () => {
      const before = await harness.eventLog.headPosition();
      const response = await post(changes(), {
        form: appForm('reg1', (f) => (f.operator.creditCode = '91110108MA01KPGK0L')),
      });
      expect(response).toMatchObject({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
        body: { errors: [{ path: 'form.operator.creditCode', rule: 'immutable_on_change' }] },
      });
      expect(await harness.eventLog.headPosition()).toBe(before);
    });

    it('refuses a malformed number, a missing key and a cancellation of an unknown subject', async () => {
      expect((await post('/v1/registrations/not-a-number/cancellation', {})).status).toBe(400);
      const cancellation = `/v1/registrations/${encodeURIComponent(base.serviceNumber)}/cancellation`;
      expect((await post(cancellation, {}, null)).body).toMatchObject({
        status: 400,
        errors: [{ path: 'Idempotency-Key' }],
      });
      const unknown = await post(
        `/v1/subjects/${encodeURIComponent('粤ICP备2026999999号')}/cancellation`,
        {},
      );
      expect(unknown.status).toBe(404);
    });
  });
});
