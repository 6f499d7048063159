import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { campaignStreamId } from '../../events/compliance/compliance-streams';
import type {
  FilingSummaryRow,
  ReadModelQueries,
  RegistryServiceRow,
} from '../../events/ports/read-models.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { campaignItemWorkflowId } from '../../workflows/compliance/campaign.definitions';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { EVENT_LOG, READ_MODELS, TEMPORAL_CLIENT, TEMPORAL_TARGET, WORKING_DAY_CALENDAR } from '../tokens';
import { DashboardController } from '../dashboard/dashboard.controller';
import { CampaignController } from './campaign.controller';
import { CampaignService } from './campaign.service';

const numberOf = (i: number) => `粤ICP备2026${String(2000 + i).padStart(6, '0')}号-1A`;
const SERVICES: RegistryServiceRow[] = Array.from({ length: 5 }, (_, i) => ({
  serviceNumber: numberOf(i),
  subjectNumber: numberOf(i).replace(/-1A$/, ''),
  sequence: 1,
  serviceType: 'app',
  name: `示例应用${i}`,
  operatorName: '广州示例有限公司',
  identifiers: { packages: [], bundles: [], domains: [] },
  preApprovalCategories: [],
  approvedOn: '2026-12-01',
  status: 'active',
  version: 1,
  accesses: ['中国电信'],
  filingId: `f-${i}`,
  source: 'registry',
}));

/**
 * The registry read side as the campaign routes read it (only the two queries they use); the routes,
 * guards, workflow and event log are real.
 */
const readModels = {
  async findRegistryServices(lookup) {
    return { items: lookup.province === '440000' && lookup.status === 'active' ? SERVICES : [] };
  },
  async slaDashboard() {
    return { filings: 0, open: 0, overdue: 0, stages: [], byProvince: [], byKind: [] };
  },
  async getFiling(filingId) {
    if (filingId === 'f-change-0') {
      return {
        filingId,
        platformId: 'wechat',
        kind: 'change',
        targetServiceNumber: numberOf(0),
      } as FilingSummaryRow;
    }
    return filingId.startsWith('f-')
      ? ({ filingId, platformId: 'wechat', kind: 'new_registration' } as FilingSummaryRow)
      : undefined;
  },
} as Pick<ReadModelQueries, 'findRegistryServices' | 'getFiling' | 'slaDashboard'> as ReadModelQueries;

/** A JSON answer as the tests read it. */
type Answer = Record<string, unknown> & {
  campaigns?: unknown[];
  errors?: Array<{ path: string }>;
  items?: unknown[];
  state?: string;
};

describe('accuracy campaign routes', () => {
  let harness: FilingHarness;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    tokens.bureau = await verifier.issue({ sub: 'officer-gd', role: 'bureau', province: '440000' });
    tokens.beijing = await verifier.issue({ sub: 'officer-bj', role: 'bureau', province: '110000' });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.otherPlatform = await verifier.issue({
      sub: 'alipay-ops',
      role: 'platform',
      platformId: 'alipay',
    });
    tokens.telecom = await verifier.issue({ sub: 'ct-ops', role: 'isp', ispName: '中国电信' });

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: EVENT_LOG, useValue: harness.eventLog },
        { provide: READ_MODELS, useValue: readModels },
        { provide: WORKING_DAY_CALENDAR, useValue: loadChineseCalendar() },
        { provide: TEMPORAL_CLIENT, useValue: harness.client },
        {
          provide: TEMPORAL_TARGET,
          useValue: { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
        },
      ],
      exports: [
        TOKEN_VERIFIER,
        EVENT_LOG,
        READ_MODELS,
        WORKING_DAY_CALENDAR,
        TEMPORAL_CLIENT,
        TEMPORAL_TARGET,
      ],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [CampaignController, DashboardController],
      providers: [CampaignService],
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await harness?.stop();
  });

  async function call(
    method: string,
    path: string,
    who: string,
    body?: unknown,
    key: string | null = randomUUID(),
  ) {
    const response = await fetch(server.url(path), {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === null || method === 'GET' ? {} : { 'idempotency-key': key }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  }
  const paths = (body: Answer) => (body.errors ?? []).map((e) => e.path);
  const NAME = '2026年第四季度APP备案信息准确性核验';

  it('refuses bad input naming the field, other roles, and a selection nothing matches', async () => {
    const bad = await call('POST', '/v1/compliance/campaigns', 'bureau', {
      name: NAME,
      selection: { sampleSize: 0 },
    });
    expect([bad.status, paths(bad.body)]).toEqual([400, ['selection.sampleSize']]);
    const noSelection = await call('POST', '/v1/compliance/campaigns', 'bureau', { name: ' ', extra: 1 });
    expect(noSelection.status).toBe(400);
    expect(paths(noSelection.body).sort()).toEqual(['extra', 'name', 'selection']);
    const platform = await call('POST', '/v1/compliance/campaigns', 'platform', {
      name: NAME,
      selection: { sampleSize: 1 },
    });
    expect(platform.status).toBe(403);
    const none = await call('POST', '/v1/compliance/campaigns', 'bureau', {
      name: NAME,
      selection: { ispName: '无此接入商', sampleSize: 3 },
    });
    expect([none.status, paths(none.body)]).toEqual([422, ['selection']]);
    const beijing = await call('POST', '/v1/compliance/campaigns', 'beijing', {
      name: NAME,
      selection: { sampleSize: 3 },
    });
    expect([beijing.status, paths(beijing.body)]).toEqual([422, ['selection']]);
  });

  it('opens a campaign once per key; respondents answer their items; the bureau follows progress', async () => {
    const key = randomUUID();
    const submission = { name: NAME, selection: { ispName: '中国电信', sampleSize: 3 } };
    const opened = await call('POST', '/v1/compliance/campaigns', 'bureau', submission, key);
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({
      campaignId: expect.any(String),
      services: 3,
      dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const { campaignId } = opened.body as { campaignId: string };
    expect((await call('POST', '/v1/compliance/campaigns', 'bureau', submission, key)).body).toEqual(
      opened.body,
    );

    // The workflow records the opening and starts the children.
    for (
      let tries = 0;
      (await harness.eventLog.readStream(campaignStreamId(campaignId))).length === 0;
      tries += 1
    ) {
      if (tries > 200) throw new Error('CampaignOpened never recorded');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (let tries = 0; ; tries += 1) {
      const child = await harness.client.workflow
        .getHandle(campaignItemWorkflowId(campaignId, 2))
        .describe()
        .catch(() => undefined);
      if (child) break;
      if (tries > 200) throw new Error('children never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const campaign = await call('GET', `/v1/compliance/campaigns/${campaignId}`, 'bureau');
    expect(campaign.body).toMatchObject({
      status: 'open',
      province: '440000',
      progress: { total: 3, awaiting: 3 },
    });
    expect((await call('GET', `/v1/compliance/campaigns/${campaignId}`, 'beijing')).status).toBe(404);

    const items = await call('GET', `/v1/compliance/campaigns/${campaignId}/items`, 'telecom');
    const [first, second] = (items.body.items as Array<{ serviceNumber: string }>).map(
      (item) => item.serviceNumber,
    );
    const answer = (who: string, serviceNumber: string | undefined, body: unknown) =>
      call(
        'POST',
        `/v1/compliance/campaigns/${campaignId}/items/${encodeURIComponent(serviceNumber ?? '')}/answer`,
        who,
        body,
      );

    expect((await answer('otherPlatform', first, { answer: 'confirmed' })).status).toBe(404);
    expect(paths((await answer('platform', first, { answer: 'maybe' })).body)).toEqual(['answer']);
    expect(paths((await answer('platform', first, { answer: 'change_filed' })).body)).toEqual(['filingId']);
    const notAChange = await answer('telecom', first, { answer: 'change_filed', filingId: 'f-1' });
    expect([notAChange.status, paths(notAChange.body)]).toEqual([422, ['filingId']]);
    const confirmed = await answer('platform', first, { answer: 'confirmed' });
    expect([confirmed.status, confirmed.body.state]).toEqual([200, 'confirmed']);
    expect((await answer('platform', first, { answer: 'confirmed' })).status).toBe(200);
    expect((await answer('telecom', first, { answer: 'refused' })).status).toBe(409);
    const pending = await call('GET', '/v1/compliance/campaign-items/pending', 'telecom');
    expect((pending.body.items ?? []).length).toBe(2);

    const decision = await call(
      'POST',
      `/v1/compliance/campaigns/${campaignId}/items/${encodeURIComponent(second ?? '')}/decision`,
      'bureau',
      { decision: 'withdraw_access', note: '逾期未答复' },
    );
    expect(decision.status).toBe(409);
    const dashboard = await call('GET', '/v1/dashboard/sla', 'bureau');
    expect(dashboard.body.campaigns).toEqual([
      expect.objectContaining({
        campaignId,
        name: NAME,
        progress: expect.objectContaining({ total: 3, confirmed: 1 }),
      }),
    ]);
    expect((await call('GET', '/v1/dashboard/sla', 'beijing')).body.campaigns).toEqual([]);
    const progress = await call('GET', `/v1/compliance/campaigns?status=open`, 'bureau');
    expect(progress.body.campaigns).toEqual([
      expect.objectContaining({
        campaignId,
        progress: expect.objectContaining({ confirmed: 1, awaiting: 2 }),
      }),
    ]);
  }, 120_000);
});
