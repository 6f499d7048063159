import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities';
import { verifyComplianceChain } from '../../events/compliance/compliance-envelope';
import { campaignItemStreamId, campaignStreamId } from '../../events/compliance/compliance-streams';
import { foldCampaignItem, progressStateOf } from '../../events/compliance/campaign/campaign-item';
import type { CampaignItemSpec } from '../../events/compliance/campaign/campaign-events';
import type { Json } from '../../events/ports/event-log.port';
import { registryStreamHead, sealRegistryEvent } from '../../events/registry/registry-envelope';
import type { RegistryEvent } from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { foldService } from '../../events/registry/service';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { openActivityDeps } from '../../main/worker/activity-deps';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { serviceRegistered } from '../../test/support/registry-fixtures';
import { createTimeSkippingEnv } from '../../test/temporal/time-skipping-env';
import {
  type AnswerItemInput,
  answerItemUpdate,
  campaignItemWorkflowId,
  campaignWorkflowId,
  decideItemUpdate,
} from './campaign.definitions';
import { accuracyCampaignWorkflow } from './campaign.workflow';

const numberOf = (i: number) => `粤ICP备2026${String(1000 + i).padStart(6, '0')}号-1A`;
/** Service 18 is served by two ISPs: the bureau's withdrawal reaches both. */
const ispsOf = (i: number) => (i === 18 ? ['中国电信', '中国联通'] : ['中国电信']);
const ITEMS: CampaignItemSpec[] = Array.from({ length: 20 }, (_, i) => ({
  serviceNumber: numberOf(i),
  respondents: { platformId: 'wechat', ispNames: ispsOf(i) },
}));

/** The campaign on the time-skipping server, the real SQLite log, the production activities. */
describe('accuracy campaign workflow', () => {
  let env: TestWorkflowEnvironment;
  let config: IcpConfig;
  let eventLog: SqliteEventLog;
  let deps: ActivityDeps;
  let closeDeps: () => Promise<void>;
  let client: Client;
  let bundle: WorkflowBundleWithSourceMap;
  let worker: { worker: Worker; running: Promise<void> } | undefined;
  const taskQueue = `campaign-${randomUUID()}`;

  /**
   * The production worker's options and activities, without a workflow cache: the test server keeps
   * a stopped worker's sticky queue while its clock is locked, and every task replays from history.
   */
  async function startWorker(): Promise<void> {
    const created = await Worker.create({
      connection: env.nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      dataConverter: filingDataConverter(config),
      workflowBundle: bundle,
      activities: createActivities(deps),
      maxCachedWorkflows: 0,
    });
    worker = { worker: created, running: created.run() };
  }

  async function stopWorker(): Promise<void> {
    worker?.worker.shutdown();
    await worker?.running;
    worker = undefined;
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-campaign-'));
    config = loadConfig({ ICP_DATA_DIR: dataDir });
    eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    const opened = await openActivityDeps(config, eventLog);
    deps = opened.deps;
    closeDeps = opened.close;
    env = await createTimeSkippingEnv();
    client = new Client({ connection: env.connection, dataConverter: filingDataConverter(config) });
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
    for (const [i, item] of ITEMS.entries()) {
      const streamId = serviceStreamId(item.serviceNumber);
      const data = serviceRegistered({
        serviceNumber: item.serviceNumber,
        subjectNumber: item.serviceNumber.replace(/-1A$/, ''),
        accesses: ispsOf(i).map((ispName) => ({ ispName })),
        source: 'imported',
      });
      delete data.filingId;
      const { envelope } = sealRegistryEvent(
        streamId,
        registryStreamHead([]),
        { type: 'ServiceRegistered', data } as RegistryEvent,
        {
          occurredAt: '2026-12-01T02:00:00.000Z',
          recordedBy: { role: 'admin', id: 'cli' },
          causationId: `line-${i}`,
        },
      );
      await eventLog.appendToStream(streamId, [envelope], { expectedRevision: 'no_stream' });
    }
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    await stopWorker();
    await env?.teardown();
    await closeDeps?.();
    await eventLog?.close();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  const sleepUntil = async (epochMs: number) => env.sleep(epochMs - (await env.currentTimeMs()));
  const itemState = async (campaignId: string, i: number) =>
    progressStateOf(
      foldCampaignItem(await eventLog.readStream(campaignItemStreamId(campaignId, numberOf(i)))),
    );
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const answer = (campaignId: string, i: number, input: AnswerItemInput) =>
    client.workflow
      .getHandle(campaignItemWorkflowId(campaignId, i))
      .executeUpdate(answerItemUpdate, { args: [input] });

  it('16 confirmed, 2 changes filed, 2 left unanswered: escalated at the due date, decided, closed', async () => {
    const campaignId = randomUUID();
    const openedAt = new Date(await env.currentTimeMs()).toISOString();
    const handle = await client.workflow.start(accuracyCampaignWorkflow, {
      taskQueue,
      workflowId: campaignWorkflowId(campaignId),
      args: [
        {
          campaignId,
          province: '440000',
          name: '2026年第四季度APP备案信息准确性核验',
          selection: { sampleSize: 20 },
          items: ITEMS,
          answerWithinWorkingDays: 10,
          openedBy: 'officer-440000',
          openedAt,
        },
      ],
    });
    const opened = await eventually(
      () => eventLog.readStream(campaignStreamId(campaignId)),
      (events) => events.length > 0,
    );
    const dueAt = Date.parse((opened[0]?.data as { dueAt: string }).dueAt);
    await eventually(
      () =>
        client.workflow
          .getHandle(campaignItemWorkflowId(campaignId, 19))
          .describe()
          .catch(() => undefined),
      (described) => described !== undefined,
    );

    const platform = { respondent: { role: 'platform', id: 'wechat' }, recordedById: 'wechat-ops' } as const;
    for (let i = 0; i < 16; i += 1) {
      expect(await answer(campaignId, i, { answer: 'confirmed', ...platform })).toBe('confirmed');
    }
    // The worker goes away mid-campaign; a new one on the same server carries on.
    await stopWorker();
    await startWorker();
    for (const i of [16, 17]) {
      const isp = { respondent: { role: 'isp', id: '中国电信' }, recordedById: 'ct-ops' } as const;
      const changed = await answer(campaignId, i, { answer: 'change_filed', filingId: `f-${i}`, ...isp });
      expect(changed).toBe('change_filed');
    }

    await sleepUntil(dueAt - 60_000);
    expect([await itemState(campaignId, 18), await itemState(campaignId, 19)]).toEqual([
      'awaiting',
      'awaiting',
    ]);
    await sleepUntil(dueAt + 1);
    const escalated = await eventually(
      () =>
        Promise.all([18, 19].map((i) => eventLog.readStream(campaignItemStreamId(campaignId, numberOf(i))))),
      (streams) => streams.every((events) => events.length === 1),
    );
    for (const [event] of escalated) {
      expect(event).toMatchObject({ type: 'CampaignItemEscalated', data: { reason: 'overdue' } });
      const at = Date.parse((event?.metadata as { occurredAt: string }).occurredAt);
      expect(at).toBeGreaterThanOrEqual(dueAt);
      expect(at).toBeLessThan(dueAt + 60_000);
    }
    await expect(answer(campaignId, 19, { answer: 'confirmed', ...platform })).rejects.toThrow();

    const decide = (i: number, decision: 'withdraw_access' | 'no_action') =>
      client.workflow.getHandle(campaignItemWorkflowId(campaignId, i)).executeUpdate(decideItemUpdate, {
        args: [{ decision, note: '逾期未答复', decidedBy: 'officer-440000' }],
      });
    expect(await decide(18, 'withdraw_access')).toBe('decided');
    expect(await decide(19, 'no_action')).toBe('decided');

    await expect(handle.result()).resolves.toMatchObject({ campaignId, items: 20 });
    const service = await eventLog.readStream(serviceStreamId(numberOf(18)));
    expect(
      service
        .filter((e) => e.type === 'ServiceAccessWithdrawn')
        .map((e) => (e.data as { ispName: Json }).ispName),
    ).toEqual(['中国电信', '中国联通']);
    expect(foldService(service).status).toBe('access_withdrawn');
    expect(await itemState(campaignId, 18)).toBe('access_withdrawn');
    expect(foldService(await eventLog.readStream(serviceStreamId(numberOf(19)))).status).toBe('active');
    const campaign = await eventLog.readStream(campaignStreamId(campaignId));
    expect(campaign.map((e) => e.type)).toEqual(['CampaignOpened', 'CampaignClosed']);

    const states = await Promise.all(ITEMS.map((_, i) => itemState(campaignId, i)));
    expect(states.filter((s) => s === 'confirmed')).toHaveLength(16);
    expect(states.filter((s) => s === 'change_filed')).toHaveLength(2);
    // Everything the campaign wrote is sealed and chained.
    const streams = [
      campaignStreamId(campaignId),
      ...ITEMS.map((item) => campaignItemStreamId(campaignId, item.serviceNumber)),
    ];
    for (const streamId of streams) {
      expect(verifyComplianceChain(streamId, await eventLog.readStream(streamId))).toEqual([]);
    }
  }, 240_000);
});
