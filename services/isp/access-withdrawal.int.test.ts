import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { Json, RecordedEvent } from '../../events/ports/event-log.port';
import {
  registryEventId,
  registryStreamHead,
  sealRegistryEvent,
  verifyRegistryChain,
} from '../../events/registry/registry-envelope';
import type { RegistryEvent, ServiceRegisteredData } from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { readOutbox } from '../../infra/notify/outbox';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { serviceRegistered } from '../../test/support/registry-fixtures';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { accessWithdrawalWorkflowId } from '../../workflows/registry/access-withdrawal.definitions';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { problemFromTemporalError } from '../http/temporal-problems';
import { EVENT_LOG, TEMPORAL_CLIENT, TEMPORAL_TARGET } from '../tokens';
import { accessWithdrawalIdOf, AccessWithdrawalService } from './access-withdrawal.service';
import { IspController } from './isp.controller';

const ALIYUN = '阿里云计算有限公司';
const TENCENT = '深圳市腾讯计算机系统有限公司';
const TELECOM = '中国电信股份有限公司上海分公司';
const APPLICANT_MOBILE = '+8613900139000';
const APPLICANT_EMAIL = 'lisi@example.com';

/** The service numbers seeded below, one per situation. */
const SERVICES = {
  twoIsps: '粤ICP备2026000001号-1A',
  legacy: '粤ICP备2026000002号-1A',
  imported: '粤ICP备2026000003号-1',
  cancelled: '粤ICP备2026000004号-1A',
  racing: '粤ICP备2026000005号-1A',
  unknown: '粤ICP备2026000099号-1A',
} as const;

/**
 * `POST /v1/registry/services/{serviceNumber}/access-withdrawals` over real HTTP, with the production
 * workflow and activities on the Temporal test server, a real SQLite event log and outbox.
 */
describe('an ISP withdraws its access to a service', () => {
  let harness: FilingHarness;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    tokens.aliyun = await verifier.issue({ sub: 'aliyun-ops', role: 'isp', ispName: ALIYUN });
    tokens.tencent = await verifier.issue({ sub: 'tencent-ops', role: 'isp', ispName: TENCENT });
    tokens.telecom = await verifier.issue({ sub: 'telecom-ops', role: 'isp', ispName: TELECOM });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: EVENT_LOG, useValue: harness.eventLog },
        { provide: TEMPORAL_CLIENT, useValue: harness.client },
        {
          provide: TEMPORAL_TARGET,
          useValue: { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
        },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG, TEMPORAL_CLIENT, TEMPORAL_TARGET],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [IspController],
      providers: [AccessWithdrawalService],
    });

    await seedService(SERVICES.twoIsps, {
      accesses: [{ ispName: ALIYUN, filingId: 'f-1' }, { ispName: TENCENT }],
    });
    await seedService(SERVICES.legacy, {});
    await seedService(SERVICES.imported, { source: 'imported', serviceType: 'website', filingId: undefined });
    await seedService(SERVICES.cancelled, { accesses: [{ ispName: ALIYUN }] }, [
      {
        type: 'ServiceCancelled',
        data: { filingId: randomUUID(), cancelledOn: '2026-12-05', scope: 'service' },
      },
    ]);
    await seedService(SERVICES.racing, { accesses: [{ ispName: ALIYUN }] });
  });

  afterAll(async () => {
    await server?.close();
    await harness?.stop();
  });

  /** ServiceRegistered (sealed, by the system) and a filing stream whose form names the applicant. */
  async function seedService(
    serviceNumber: string,
    overrides: Partial<ServiceRegisteredData>,
    later: { type: string; data: Json }[] = [],
  ): Promise<void> {
    const filingId = 'filingId' in overrides ? overrides.filingId : randomUUID();
    if (filingId !== undefined) {
      await harness.eventLog.appendToStream(
        filingStreamId(filingId),
        [
          {
            id: randomUUID(),
            type: 'FilingSubmitted',
            data: {
              filingId,
              platformId: 'wechat',
              province: '440000',
              form: loadValidForm('valid-app') as Json,
            },
            metadata: {},
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    }
    const registered = serviceRegistered({
      serviceNumber,
      subjectNumber: serviceNumber.replace(/-\d+A?$/, ''),
      ...overrides,
      ...(filingId === undefined ? {} : { filingId }),
    });
    if (filingId === undefined) delete registered.filingId;
    const events = [{ type: 'ServiceRegistered', data: registered as unknown as Json }, ...later];
    const streamId = serviceStreamId(serviceNumber);
    let head = registryStreamHead([]);
    for (const event of events) {
      const sealed = sealRegistryEvent(streamId, head, event as RegistryEvent, {
        occurredAt: '2026-12-01T02:00:00.000Z',
        recordedBy: { role: 'system', id: 'test-seed' },
        causationId: filingId ?? 'import-line',
      });
      await harness.eventLog.appendToStream(streamId, [sealed.envelope], {
        expectedRevision: head.revision === -1 ? 'no_stream' : head.revision,
      });
      head = sealed.head;
    }
  }

  async function withdraw(
    serviceNumber: string,
    who: string,
    options: { key?: string | null; body?: unknown } = {},
  ): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
    const key = options.key === undefined ? randomUUID() : options.key;
    const response = await fetch(
      server.url(`/v1/registry/services/${encodeURIComponent(serviceNumber)}/access-withdrawals`),
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          'content-type': 'application/json',
          ...(key === null ? {} : { 'idempotency-key': key }),
        },
        body: JSON.stringify(options.body ?? { reason: '客户合同到期，已停止提供接入服务' }),
      },
    );
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  const serviceEvents = (serviceNumber: string): Promise<RecordedEvent[]> =>
    harness.eventLog.readStream(serviceStreamId(serviceNumber));

  async function expectNoWorkflow(serviceNumber: string, ispName: string, key: string): Promise<void> {
    const workflowId = accessWithdrawalWorkflowId(accessWithdrawalIdOf(serviceNumber, ispName, key));
    await expect(harness.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  }

  it('records the withdrawal, sealed and by the ISP, answers 201 `active` while another ISP serves it, and tells the applicant in Chinese', async () => {
    const key = 'aliyun-withdrawal-1';
    const answer = await withdraw(SERVICES.twoIsps, 'aliyun', { key });

    expect(answer.status).toBe(201);
    const withdrawalId = accessWithdrawalIdOf(SERVICES.twoIsps, ALIYUN, key);
    expect(answer.body).toEqual({
      serviceNumber: SERVICES.twoIsps,
      status: 'active',
      withdrawal: {
        withdrawalId,
        ispName: ALIYUN,
        reason: '客户合同到期，已停止提供接入服务',
        withdrawnOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    });
    const events = await serviceEvents(SERVICES.twoIsps);
    expect(events.map((event) => event.type)).toEqual(['ServiceRegistered', 'ServiceAccessWithdrawn']);
    const [, recorded] = events as [RecordedEvent, RecordedEvent];
    expect(recorded.data).toEqual({
      withdrawalId,
      ispName: ALIYUN,
      reason: '客户合同到期，已停止提供接入服务',
      withdrawnOn: (answer.body.withdrawal as { withdrawnOn: string }).withdrawnOn,
    });
    expect(recorded.id).toBe(registryEventId(serviceStreamId(SERVICES.twoIsps), 1));
    expect(recorded.metadata).toMatchObject({
      recordedBy: { role: 'isp', id: 'aliyun-ops' },
      causationId: withdrawalId,
      schemaVersion: 2,
    });
    expect(verifyRegistryChain(serviceStreamId(SERVICES.twoIsps), events)).toEqual([]);
    const run = await harness.client.workflow.getHandle(accessWithdrawalWorkflowId(withdrawalId)).describe();
    expect(run).toMatchObject({ type: 'accessWithdrawalWorkflow', status: { name: 'COMPLETED' } });

    const sms = readOutbox(harness.config.dataDir, { to: APPLICANT_MOBILE });
    const mail = readOutbox(harness.config.dataDir, { to: APPLICANT_EMAIL });
    expect(sms).toHaveLength(1);
    expect(mail).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', sender: '12381' });
    expect(sms[0]?.text).toContain(`备案号：${SERVICES.twoIsps}`);
    expect(sms[0]?.text).toContain(`「${ALIYUN}」取消接入，原因：客户合同到期，已停止提供接入服务`);
    expect(sms[0]?.text).toContain('仍有其他接入服务商');
    expect(mail[0]).toMatchObject({ channel: 'email', subject: `ICP备案取消接入通知：${SERVICES.twoIsps}` });
  });

  it('answers a retry with the same key as the first time, writing and sending nothing more', async () => {
    const key = 'aliyun-withdrawal-1';
    const before = readOutbox(harness.config.dataDir).length;

    const again = await withdraw(SERVICES.twoIsps, 'aliyun', { key });

    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'active', withdrawal: { ispName: ALIYUN } });
    expect(await serviceEvents(SERVICES.twoIsps)).toHaveLength(2);
    expect(readOutbox(harness.config.dataDir)).toHaveLength(before);
  });

  it('refuses the same key with another reason, and another withdrawal by the same ISP, with 409 writing nothing', async () => {
    const reused = await withdraw(SERVICES.twoIsps, 'aliyun', {
      key: 'aliyun-withdrawal-1',
      body: { reason: '另一个原因' },
    });
    expect(reused).toMatchObject({
      status: 409,
      type: expect.stringContaining('application/problem+json'),
      body: { errors: [{ path: 'Idempotency-Key', rule: 'withdrawal_id_reused' }] },
    });

    const key = randomUUID();
    const twice = await withdraw(SERVICES.twoIsps, 'aliyun', { key });
    expect(twice).toMatchObject({
      status: 409,
      body: { errors: [{ path: 'serviceNumber', rule: 'access_already_withdrawn' }] },
    });
    expect(await serviceEvents(SERVICES.twoIsps)).toHaveLength(2);
    await expectNoWorkflow(SERVICES.twoIsps, ALIYUN, key);
  });

  it('makes the service `access_withdrawn` when its last ISP withdraws', async () => {
    const answer = await withdraw(SERVICES.twoIsps, 'tencent', { key: 'tencent-1' });

    expect(answer).toMatchObject({ status: 201, body: { status: 'access_withdrawn' } });
    expect((await serviceEvents(SERVICES.twoIsps)).map((event) => event.type)).toEqual([
      'ServiceRegistered',
      'ServiceAccessWithdrawn',
      'ServiceAccessWithdrawn',
    ]);
    const [latest] = readOutbox(harness.config.dataDir, { to: APPLICANT_MOBILE, limit: 1 });
    expect(latest?.text).toContain(`「${TENCENT}」取消接入`);
    expect(latest?.text).toContain('已取消接入');
    expect(latest?.text).toContain('新增接入');
  });

  it('lets only the ISP its registering filing’s form names withdraw a service registered before accesses were kept, which stays `active` (its accesses are unknown)', async () => {
    const stranger = await withdraw(SERVICES.legacy, 'tencent');
    expect(stranger.status).toBe(404);

    const answer = await withdraw(SERVICES.legacy, 'aliyun');
    expect(answer).toMatchObject({ status: 201, body: { status: 'active' } });
    const again = await withdraw(SERVICES.legacy, 'aliyun');
    expect(again).toMatchObject({
      status: 409,
      body: { errors: [{ path: 'serviceNumber', rule: 'access_already_withdrawn' }] },
    });
    expect((await serviceEvents(SERVICES.legacy)).map((event) => event.type)).toEqual([
      'ServiceRegistered',
      'ServiceAccessWithdrawn',
    ]);
    const [latest] = readOutbox(harness.config.dataDir, { to: APPLICANT_MOBILE, limit: 1 });
    expect(latest?.text).toContain(`备案号：${SERVICES.legacy}`);
    expect(latest?.text).not.toContain('仍有其他接入服务商');
  });

  it('refuses with nothing written and no workflow started: unknown service, a service the ISP does not serve, a cancelled one', async () => {
    const cases: [string, string, number, string][] = [
      [SERVICES.unknown, 'aliyun', 404, ALIYUN],
      [SERVICES.twoIsps, 'telecom', 404, TELECOM],
      [SERVICES.imported, 'aliyun', 404, ALIYUN],
      [SERVICES.cancelled, 'aliyun', 409, ALIYUN],
      [SERVICES.cancelled, 'telecom', 404, TELECOM],
    ];
    for (const [serviceNumber, who, status, ispName] of cases) {
      const before = await serviceEvents(serviceNumber);
      const key = randomUUID();
      const answer = await withdraw(serviceNumber, who, { key });
      expect({ serviceNumber, who, status: answer.status, type: answer.type }).toEqual({
        serviceNumber,
        who,
        status,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(await serviceEvents(serviceNumber)).toEqual(before);
      await expectNoWorkflow(serviceNumber, ispName, key);
    }
    const cancelled = await withdraw(SERVICES.cancelled, 'aliyun');
    expect(cancelled.body).toMatchObject({ errors: [{ path: 'serviceNumber', rule: 'service_cancelled' }] });
    // Not found looks the same whether the service is unknown or someone else's.
    const unknown = await withdraw(SERVICES.unknown, 'aliyun');
    const notServed = await withdraw(SERVICES.twoIsps, 'telecom');
    expect(notServed.body).toEqual({ ...unknown.body, requestId: expect.any(String) });
  });

  it('refuses a bad request with 400 naming the field, and other roles with 403, writing nothing', async () => {
    const before = await serviceEvents(SERVICES.racing);
    const cases: [string, { key?: string | null; body?: unknown }, string, string][] = [
      ['no reason', { body: {} }, 'reason', 'required'],
      ['a blank reason', { body: { reason: '   ' } }, 'reason', 'required'],
      ['a reason over 500 characters', { body: { reason: '因'.repeat(501) } }, 'reason', 'too_long'],
      ['an unknown field', { body: { reason: '到期', by: 'x' } }, 'by', 'unknown_field'],
      ['no Idempotency-Key', { key: null }, 'Idempotency-Key', 'required'],
    ];
    for (const [what, options, path, rule] of cases) {
      const answer = await withdraw(SERVICES.racing, 'aliyun', options);
      expect({ what, status: answer.status, errors: answer.body.errors }).toEqual({
        what,
        status: 400,
        errors: [expect.objectContaining({ path, rule })],
      });
    }
    const badNumber = await withdraw('not-a-number', 'aliyun');
    expect(badNumber).toMatchObject({ status: 400, body: { errors: [{ path: 'serviceNumber' }] } });
    for (const who of ['platform', 'auditor']) {
      expect((await withdraw(SERVICES.racing, who)).status).toBe(403);
    }
    expect(await serviceEvents(SERVICES.racing)).toEqual(before);
  });

  it('answers 503 once the wait is over when no worker runs the withdrawal, having written nothing', async () => {
    const idle = new AccessWithdrawalService(
      harness.eventLog,
      { address: '', namespace: 'default', mode: 'embedded', taskQueue: `unpolled-${randomUUID()}` },
      harness.client,
    );
    const key = randomUUID();
    const startedAt = Date.now();

    const error = await idle
      .withdraw({ role: 'isp', id: 'aliyun-ops', ispName: ALIYUN }, SERVICES.racing, key, '到期')
      .catch((e: unknown) => e);

    expect(problemFromTemporalError(error)).toMatchObject({ status: 503 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10_000);
    expect(await serviceEvents(SERVICES.racing)).toHaveLength(1);
    const workflowId = accessWithdrawalWorkflowId(accessWithdrawalIdOf(SERVICES.racing, ALIYUN, key));
    await harness.client.workflow.getHandle(workflowId).terminate('test: no worker polls it');
  });

  it('records one withdrawal for the same request sent twice at once', async () => {
    const key = 'racing-1';
    const answers = await Promise.all([
      withdraw(SERVICES.racing, 'aliyun', { key }),
      withdraw(SERVICES.racing, 'aliyun', { key }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers[0]?.body).toEqual(answers[1]?.body);
    expect((await serviceEvents(SERVICES.racing)).map((event) => event.type)).toEqual([
      'ServiceRegistered',
      'ServiceAccessWithdrawn',
    ]);
  });
});
