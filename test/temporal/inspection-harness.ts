import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createInspectionActivities } from '../../activities/compliance/inspection';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import { inspectionStreamId } from '../../events/compliance/compliance-streams';
import type {
  ComplianceInventories,
  InventoryLineRecord,
  InventoryReportSummary,
} from '../../events/ports/compliance-store.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { openReadModels } from '../../main/read-models';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { startProjector } from '../../services/projections/projector';
import { seedVerificationRegistry } from '../support/verification-registry';
import { createTimeSkippingEnv, type TimeSkippingOptions } from './time-skipping-env';

/** A party's inventory as the compliance store would hand it over: a fixture, not the store under test. */
export class InventoryFixture implements ComplianceInventories {
  private readonly reports = new Map<
    string,
    { summary: InventoryReportSummary; lines: InventoryLineRecord[] }
  >();

  report(party: ComplianceParty, reportedOn: string, lines: InventoryLineRecord[]): void {
    const summary = { reportedOn, lines: lines.length, digest: 'd'.repeat(64) };
    this.reports.set(`${party.role}:${party.id}`, { summary, lines });
  }

  async latestReport(party: ComplianceParty): Promise<InventoryReportSummary | undefined> {
    return this.reports.get(`${party.role}:${party.id}`)?.summary;
  }

  async latestLines(
    party: ComplianceParty,
    filter: { province?: string } = {},
  ): Promise<InventoryLineRecord[]> {
    const lines = this.reports.get(`${party.role}:${party.id}`)?.lines ?? [];
    return lines.filter((line) => filter.province === undefined || line.province === filter.province);
  }
}

/**
 * The inspection workflow with its production activities on the time-skipping test server, a real
 * SQLite event log and read models seeded with the verification registry (test/support), and the
 * inventories a test reports. Time moves only when a test calls `env.sleep`.
 */
export class InspectionHarness {
  readonly taskQueue = `inspection-${randomUUID()}`;
  readonly client: Client;
  private running?: Promise<void>;
  private worker?: Worker;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly config: IcpConfig,
    readonly eventLog: SqliteEventLog,
    readonly readModels: SqliteReadModelStore,
    readonly inventories: InventoryFixture,
  ) {
    this.client = new Client({ connection: env.connection, dataConverter: filingDataConverter(config) });
  }

  static async start(options: TimeSkippingOptions = {}): Promise<InspectionHarness> {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-inspection-'));
    const config = loadConfig({ ICP_DATA_DIR: dataDir });
    const eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    const readModels = openReadModels(dataDir, loadChineseCalendar());
    await seedVerificationRegistry(eventLog);
    const projector = startProjector({ eventLog, store: readModels });
    await projector.caughtUp();
    await projector.stop();
    const env = await createTimeSkippingEnv(options);
    return new InspectionHarness(env, config, eventLog, readModels, new InventoryFixture());
  }

  get activityDeps() {
    return {
      eventLog: this.eventLog,
      calendar: loadChineseCalendar(),
      compliance: { eventLog: this.eventLog, registry: this.readModels, store: this.inventories },
    };
  }

  async runWorker(): Promise<void> {
    this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      dataConverter: filingDataConverter(this.config),
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: WORKFLOWS_PATH,
        logger: new DefaultLogger('WARN'),
      }),
      activities: createInspectionActivities(this.activityDeps),
    });
    this.running = this.worker.run();
  }

  events(inspectionId: string) {
    return this.eventLog.readStream(inspectionStreamId(inspectionId));
  }

  async stop(): Promise<void> {
    this.worker?.shutdown();
    await this.running;
    await this.env?.teardown();
    await this.readModels.close();
    await this.eventLog.close();
    rmSync(this.config.dataDir, { recursive: true, force: true });
  }
}
