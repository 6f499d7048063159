import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { describeWorkerTuning, type IcpConfig } from '../../infra/config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { connectWorkerConnection } from '../../infra/temporal/connection';
import { EVENT_LOG, TEMPORAL_CLIENT } from '../../services/tokens';
import { CONFIG } from '../api/adapters.module';
import { openActivityDeps } from './activity-deps';
import { ensureDeadlineSweepSchedule } from './compliance-schedule';
import { createWorker } from './create-worker';
import { installWorkerRuntimeLogging, workerLogLevel } from './runtime-logging';

const PING_TIMEOUT_MS = 3_000;

/** What the worker's /readyz reports: polling its task queue, and whether Temporal answers. */
export interface WorkerReadiness {
  /** The SDK worker's state (`RUNNING` while it polls), or `starting` before it exists. */
  state: string;
  temporal: 'up' | 'down';
}

/** Runs the Temporal worker for the application's lifetime; shutdown waits for in-flight tasks. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;
  private closeDeps?: () => Promise<void>;

  constructor(
    @Inject(CONFIG) private readonly config: IcpConfig,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    installWorkerRuntimeLogging(workerLogLevel());
    this.connection = await connectWorkerConnection(this.config);
    const activityDeps = await openActivityDeps(this.config, this.eventLog);
    this.closeDeps = activityDeps.close;
    this.worker = await createWorker(this.config, this.connection, activityDeps.deps);
    this.running = this.worker.run();
    this.running.catch((error: unknown) => this.logger.error(`worker stopped: ${(error as Error).message}`));
    void this.scheduleDeadlineSweep();
    this.logger.log(
      `polling task queue ${this.config.temporal.taskQueue} on ${this.config.temporal.address} (${describeWorkerTuning(this.config.worker)})`,
    );
  }

  /** The daily compliance sweep; a failure is logged, never fatal: the worker serves without it. */
  private async scheduleDeadlineSweep(): Promise<void> {
    try {
      const created = await ensureDeadlineSweepSchedule(this.client, this.config.temporal.taskQueue);
      if (created) this.logger.log('created the daily compliance deadline-sweep schedule');
    } catch (error) {
      this.logger.warn(
        `could not create the compliance deadline-sweep schedule: ${(error as Error).message}`,
      );
    }
  }

  async readiness(): Promise<WorkerReadiness> {
    const state = this.worker?.getState() ?? 'starting';
    const connection = this.connection;
    let temporal: WorkerReadiness['temporal'] = 'down';
    if (connection) {
      temporal = await connection
        .withDeadline(Date.now() + PING_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({}))
        .then(
          () => 'up' as const,
          () => 'down' as const,
        );
    }
    return { state, temporal };
  }

  // Before the infra module closes the event log and connections the activities use.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await this.closeDeps?.();
  }
}
