import { problemType } from '../../services/http/problem-details';
import { isAlive, runIcp } from '../system/icp-process';
import {
  type Answer,
  appForm,
  FilingApi,
  ID_LAST6,
  issueTokens,
  smsCodes,
  streamProblems,
} from '../races/filing-api';
import { SplitSystem } from './split-system';

/**
 * Temporal lost under a running API: `icp worker` and `icp api` against a dev server started here,
 * which is SIGKILLed and later started again on its port and database. Reads that need the workflow
 * answer 503 problem+json within seconds; reads of the read models and the event log go on answering
 * 200; a decision sent during the outage is refused with 503 and lands once when sent again with its
 * Idempotency-Key; everything recovers without a restart of the API or the worker.
 */

const SUBMITTED = ['FilingSubmitted', 'PlatformReviewStarted'];
const AT_SMS = [...SUBMITTED, 'PlatformReviewApproved', 'SmsVerificationSent'];
const AT_BUREAU = [...AT_SMS, 'SmsVerified', 'BureauReviewStarted'];
const COMPLETED = [
  ...AT_BUREAU,
  'BureauReviewApproved',
  'RegistrationNumberIssued',
  'RegistrationPublished',
  'ApplicantNotified',
];
/** The promised bound on a live read while Temporal is down (the API gives up after 3 s). */
const LIVE_READ_BOUND_MS = 5_000;

describe('Temporal unavailable under a running API (`icp worker` + `icp api`)', () => {
  let system: SplitSystem;
  let api: FilingApi;
  const ids = { pending: '', inBureau: '', completed: '' };
  let registrationNumber = '';
  const timeline: string[] = [];
  const checked: string[] = [];
  const started = Date.now();
  const mark = (what: string) => timeline.push(`+${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
  let writeDuringOutage: Promise<Answer> | undefined;
  let killedAt = 0;

  const expectUnavailable = (answer: Answer): void => {
    expect(answer.status).toBe(503);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.json).toEqual({
      type: problemType('workflow-engine-unavailable'),
      title: 'Service Unavailable',
      status: 503,
      detail: 'the workflow engine is unavailable, retry later',
      requestId: answer.headers.get('x-request-id'),
    });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  };

  beforeAll(async () => {
    system = await SplitSystem.start('temporal-outage');
    mark('dev server, icp worker and icp api started');
    api = new FilingApi(
      system.base,
      await issueTokens(system.env, {
        wechat: { sub: 'platform:wechat', role: 'platform', platformId: 'wechat' },
        guangdong: { sub: 'bureau:440000', role: 'bureau', province: '440000' },
        auditor: { sub: 'auditor', role: 'auditor' },
      }),
    );
    // One filing waiting for its platform review, one in bureau review, one completed and published.
    const names = { pending: '断联待审', inBureau: '断联局审', completed: '断联已发号' };
    for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
      const created = await api.call('POST', '/v1/filings', 'wechat', appForm(names[key]), {
        'idempotency-key': `outage-${key}`,
      });
      expect(created.status).toBe(202);
      ids[key] = String(created.json.filingId);
    }
    await Promise.all(Object.values(ids).map((id) => api.waitForStatus(id, ['platform_review'])));
    for (const id of [ids.inBureau, ids.completed]) {
      expect(
        (await api.call('POST', `/v1/filings/${id}/platform-review`, 'wechat', { decision: 'approve' }))
          .status,
      ).toBe(200);
      await api.waitForStatus(id, ['sms_verification']);
    }
    const codes = await smsCodes(system.env, [names.inBureau, names.completed]);
    for (const [id, name] of [
      [ids.inBureau, names.inBureau],
      [ids.completed, names.completed],
    ] as const) {
      const verified = await api.call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
        code: codes.get(name),
        idLast6: ID_LAST6,
      });
      expect(verified.status).toBe(200);
      await api.waitForStatus(id, ['bureau_review']);
    }
    expect(
      (
        await api.call('POST', `/v1/filings/${ids.completed}/bureau-review`, 'guangdong', {
          decision: 'approve',
        })
      ).status,
    ).toBe(200);
    await api.waitForStatus(ids.completed, ['completed']);
    registrationNumber = String(
      (await api.call('GET', `/v1/filings/${ids.completed}`, 'auditor')).json.registrationNumber,
    );
    // The read models have caught up with all three before Temporal goes.
    for (const deadline = Date.now() + 30_000; ;) {
      const listed = await api.call('GET', '/v1/filings?limit=50', 'auditor');
      const published = await api.call(
        'GET',
        `/v1/public/registrations?number=${encodeURIComponent(registrationNumber)}`,
      );
      const statuses = new Map(
        (listed.json.items as Array<{ filingId: string; status: string }>).map((i) => [i.filingId, i.status]),
      );
      if (
        statuses.get(ids.pending) === 'platform_review' &&
        statuses.get(ids.inBureau) === 'bureau_review' &&
        statuses.get(ids.completed) === 'completed' &&
        (published.json.items as unknown[]).length === 1
      ) {
        break;
      }
      if (Date.now() > deadline) throw new Error('read models did not catch up');
      await new Promise((r) => setTimeout(r, 200));
    }
    mark('3 filings prepared over HTTP (platform review, bureau review, completed) and projected');
  });

  afterAll(async () => {
    console.info(
      [
        'Temporal outage under a running API',
        ...timeline.map((line) => `  ${line}`),
        `  requests: ${api?.requestCount ?? 0} (${[...(api?.requests ?? [])].map(([r, n]) => `${r} ×${n}`).join(', ')})`,
        `  checked: ${checked.join('; ')}`,
      ].join('\n'),
    );
    await system?.stop();
  });

  it('answers live reads 503 problem+json within seconds, and read models and the event log 200, while Temporal is down', async () => {
    await system.killTemporal();
    killedAt = Date.now();
    mark('Temporal dev server SIGKILLed');
    // A decision sent now: the client retries the unreachable frontend (~20 s) before refusing it.
    writeDuringOutage = api.call(
      'POST',
      `/v1/filings/${ids.pending}/platform-review`,
      'wechat',
      { decision: 'approve' },
      { 'idempotency-key': 'approve-during-outage' },
    );

    const live: Answer[] = [];
    for (const [who, id] of [
      ['auditor', ids.pending],
      ['wechat', ids.pending],
      ['guangdong', ids.inBureau],
      ['auditor', ids.completed],
    ] as const) {
      const answer = await api.call('GET', `/v1/filings/${id}?consistency=strong`, who);
      expectUnavailable(answer);
      expect(answer.ms).toBeLessThan(LIVE_READ_BOUND_MS);
      live.push(answer);
      // The default read answers from the read model, which does not need Temporal.
      const fromReadModel = await api.call('GET', `/v1/filings/${id}`, who);
      expect(fromReadModel.status).toBe(200);
      expect(fromReadModel.headers.get('x-read-source')).toBe('read-model');
    }
    mark(
      `4 live reads (GET /v1/filings/:id?consistency=strong) answered 503 in ${live.map((a) => a.ms).join(', ')} ms; the same reads from the read model 200`,
    );

    const listed = await api.call('GET', '/v1/filings?limit=50', 'auditor');
    expect(listed.status).toBe(200);
    expect((listed.json.items as Array<{ filingId: string }>).map((i) => i.filingId).sort()).toEqual(
      Object.values(ids).sort(),
    );
    const queue = await api.call('GET', '/v1/bureau/queue', 'guangdong');
    expect(queue.status).toBe(200);
    expect((queue.json.items as Array<{ filingId: string }>).map((i) => i.filingId)).toEqual([ids.inBureau]);
    const lookup = await api.call(
      'GET',
      `/v1/public/registrations?number=${encodeURIComponent(registrationNumber)}`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.json.items).toEqual([expect.objectContaining({ registrationNumber })]);
    const dashboard = await api.call('GET', '/v1/dashboard/sla', 'auditor');
    expect(dashboard.status).toBe(200);
    const events = await api.call('GET', `/v1/filings/${ids.completed}/events`, 'auditor');
    expect(events.status).toBe(200);
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ temporal: { ok: false }, eventLog: { ok: true } });
    const ready = await api.call('GET', '/readyz');
    expect({ status: ready.status, body: ready.json }).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: { eventLog: 'up', readModels: 'up', temporal: 'down' },
        projector: 'active',
      },
    });
    expect((await api.call('GET', '/livez')).status).toBe(200);
    const slowest = Math.max(listed.ms, queue.ms, lookup.ms, dashboard.ms, events.ms);
    mark(
      `read models (list, bureau queue, public lookup, SLA dashboard) and the event stream 200, slowest ${slowest} ms; /health 503 naming Temporal; /readyz 200 (Temporal down), /livez 200`,
    );
    checked.push(
      `live reads (consistency=strong) 503 problem+json with Retry-After in < ${LIVE_READ_BOUND_MS} ms (slowest ${Math.max(...live.map((a) => a.ms))} ms); GET /v1/filings/:id from the read model 200`,
      'read-model routes, the event stream and public lookup 200 during the outage; /readyz 200 naming Temporal down, /livez 200',
    );
  });

  it('refuses a decision sent during the outage with 503, and records nothing', async () => {
    const refused = await (writeDuringOutage as Promise<Answer>);
    expectUnavailable(refused);
    mark(
      `decision sent during the outage answered 503 after ${refused.ms} ms (the SDK's retrying of an unreachable frontend)`,
    );
    expect(streamProblems(await api.events(ids.pending), SUBMITTED)).toEqual([]);
    checked.push('a decision sent during the outage 503, nothing appended');
  });

  it('recovers by itself once Temporal is back: live reads 200, the refused decision lands once when sent again', async () => {
    const outageMs = Date.now() - killedAt;
    const restartAt = Date.now();
    await system.startTemporal();
    mark(
      `Temporal dev server started again on its port and database after a ${outageMs} ms outage (${Date.now() - restartAt} ms to serve)`,
    );
    const servingAt = Date.now();
    let polls = 0;
    for (;;) {
      polls += 1;
      const answer = await api.call('GET', `/v1/filings/${ids.pending}?consistency=strong`, 'auditor');
      if (answer.status === 200) {
        expect(answer.json.status).toBe('platform_review');
        break;
      }
      expectUnavailable(answer);
      if (Date.now() - servingAt > 30_000) throw new Error('the API did not recover within 30 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const recoveredMs = Date.now() - servingAt;
    mark(`API answered the live read 200 ${recoveredMs} ms after Temporal served again (${polls} polls)`);

    const again = await api.call(
      'POST',
      `/v1/filings/${ids.pending}/platform-review`,
      'wechat',
      { decision: 'approve' },
      { 'idempotency-key': 'approve-during-outage' },
    );
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('platform_approved');
    const replay = await api.call(
      'POST',
      `/v1/filings/${ids.pending}/platform-review`,
      'wechat',
      { decision: 'approve' },
      { 'idempotency-key': 'approve-during-outage' },
    );
    expect(replay).toMatchObject({ status: 200, json: again.json });
    // The worker rode the outage out: it carries the filing on to the SMS challenge.
    await api.waitForStatus(ids.pending, ['sms_verification']);
    mark('decision sent again with its Idempotency-Key: 200, twice alike; the worker moved the filing on');

    expect(streamProblems(await api.events(ids.pending), AT_SMS)).toEqual([]);
    expect(streamProblems(await api.events(ids.inBureau), AT_BUREAU)).toEqual([]);
    expect(streamProblems(await api.events(ids.completed), COMPLETED)).toEqual([]);
    expect((await api.call('GET', '/health')).status).toBe(200);
    expect((await api.call('GET', '/readyz')).json).toEqual({
      status: 'ready',
      checks: { eventLog: 'up', readModels: 'up', temporal: 'up' },
      projector: 'active',
    });
    expect(system.icpProcesses.every((p) => isAlive(p.pid) && p.child.exitCode === null)).toBe(true);
    const verify = await runIcp(['audit', 'verify', '--all'], system.env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verified 3 of 3 filings');
    checked.push(
      `recovered ${recoveredMs} ms after Temporal served again, no process restarted`,
      'the refused decision sent again with its key: 200, recorded once (streams exact)',
      '/health 200 again; icp audit verify --all exit 0',
    );
  });
});
