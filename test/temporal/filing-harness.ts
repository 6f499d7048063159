import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { AuditReport } from '../../services/audit/audit-report';
import { auditFilingHistory } from '../../services/audit/filing-audit';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Actor } from '../../events/filing/actor';
import type { ProvinceCode } from '../../events/provinces';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { FilingStatus } from '../../events/filing/filing-state';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { readOutbox } from '../../infra/notify/outbox';
import { sealSmsAnswer } from '../../infra/verification/sealed-answer';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import { openActivityDeps, SMS_ANSWER_SECRET } from '../../main/worker/activity-deps';
import { createWorker, WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { filingWorkflow } from '../../workflows/filing/filing.workflow';
import {
  statusQuery,
  type FilingOutcome,
  type FilingWorkflowInput,
} from '../../workflows/filing/filing.definitions';
import type { ActivityDeps } from '../../activities';
import { createTimeSkippingEnv, type TimeSkippingOptions } from './time-skipping-env';

export const PLATFORM: Actor = { role: 'platform', id: 'reviewer-7', platformId: 'wechat' };
export const bureauOf = (province: ProvinceCode): Actor => ({
  role: 'bureau',
  id: `officer-${province}`,
  province,
});
export const APPLICANT: Actor = { role: 'applicant', id: 'public' };

/**
 * A time-skipping Temporal test server, a real SQLite event log and outbox in a temp data
 * directory, and a worker with the production activities: one per test file.
 */
export class FilingHarness<Log extends EventLog = SqliteEventLog> {
  private worker?: Worker;
  private running?: Promise<void>;
  private closeDeps?: () => Promise<void>;
  readonly taskQueue = `filing-${randomUUID()}`;
  /** Every filing this harness started, for the audit at the end of a test file. */
  readonly startedFilingIds: string[] = [];
  /**
   * A plain client: the environment's own client unlocks time skipping while it awaits a result,
   * and the test server then jumps to any pending timer, cancelled ones included. Here time moves
   * only when a test calls `env.sleep`.
   */
  readonly client: Client;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly config: IcpConfig,
    readonly eventLog: Log,
    readonly deps: ActivityDeps,
  ) {
    this.client = new Client({ connection: env.connection, dataConverter: filingDataConverter(config) });
  }

  static start(options: TimeSkippingOptions = {}): Promise<FilingHarness> {
    return FilingHarness.startOn(options, (dataDir) => new SqliteEventLog(join(dataDir, 'events.sqlite')));
  }

  /** The same on another event log (opened with the harness's data directory). */
  static async startOn<Log extends EventLog>(
    options: TimeSkippingOptions,
    openLog: (dataDir: string) => Log,
  ): Promise<FilingHarness<Log>> {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-filing-'));
    const config = loadConfig({ ICP_DATA_DIR: dataDir });
    const eventLog = openLog(dataDir);
    const opened = await openActivityDeps(config, eventLog);
    const harness = new FilingHarness(await createTimeSkippingEnv(options), config, eventLog, opened.deps);
    harness.closeDeps = opened.close;
    return harness;
  }

  async runWorker(
    workflowBundle?: WorkflowBundleWithSourceMap,
    deps: ActivityDeps = this.deps,
  ): Promise<void> {
    const bundle =
      workflowBundle ??
      (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }));
    this.worker = await createWorker(
      { ...this.config, temporal: { ...this.config.temporal, taskQueue: this.taskQueue } },
      this.env.nativeConnection,
      deps,
      { workflowBundle: bundle },
    );
    this.running = this.worker.run();
  }

  async stop(): Promise<void> {
    this.worker?.shutdown();
    await this.running;
    await this.env.teardown();
    await this.closeDeps?.();
    await this.eventLog.close();
    rmSync(this.config.dataDir, { recursive: true, force: true });
  }

  async startFiling(form: unknown, filingId = randomUUID()): Promise<WorkflowHandle<typeof filingWorkflow>> {
    this.startedFilingIds.push(filingId);
    const input: FilingWorkflowInput = {
      filingId,
      form,
      actor: PLATFORM,
      actionId: `submit-${filingId}`,
      correlationId: filingId,
    };
    return this.client.workflow.start(filingWorkflow, {
      args: [input],
      taskQueue: this.taskQueue,
      workflowId: filingStreamId(filingId),
    });
  }

  /** Polls the live state until it reaches `status` (workflow tasks run asynchronously). */
  async waitForStatus(
    handle: WorkflowHandle,
    status: FilingStatus,
    timeoutMs = 20_000,
  ): Promise<FilingStatusView> {
    const deadline = Date.now() + timeoutMs;
    let last: FilingStatusView | undefined;
    while (Date.now() < deadline) {
      last = await handle.query(statusQuery);
      if (last.status === status) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`filing did not reach ${status}; last status ${last?.status}`);
  }

  outcome(handle: WorkflowHandle<typeof filingWorkflow>): Promise<FilingOutcome> {
    return handle.result();
  }

  /** The auditor's replay of every filing started here: what the workflow wrote must verify. */
  async auditStartedFilings(): Promise<AuditReport[]> {
    const calendar = loadChineseCalendar();
    const reports: AuditReport[] = [];
    for (const filingId of this.startedFilingIds) {
      reports.push(auditFilingHistory(filingId, await this.events(filingId), { calendar }));
    }
    return reports;
  }

  events(filingId: string): Promise<RecordedEvent[]> {
    return this.eventLog.readStream(filingStreamId(filingId));
  }

  async eventTypes(filingId: string): Promise<string[]> {
    return (await this.events(filingId)).map((e) => e.type);
  }

  /** The newest 12381 code sent to a mobile, read from the outbox as a phone would show it. */
  latestCode(mobile: string): string {
    // Outcome notices go to the same phone: the newest SMS that carries a code.
    const code = readOutbox(this.config.dataDir, { to: mobile, limit: 50 })
      .map((message) => /核验码为(\d{6})/.exec(message.text)?.[1])
      .find((found) => found !== undefined);
    if (!code) throw new Error('no verification code in the outbox');
    return code;
  }

  seal(code: string, idLast6: string): string {
    return sealSmsAnswer(loadOrCreateSecret(this.config.dataDir, SMS_ANSWER_SECRET), { code, idLast6 });
  }
}
