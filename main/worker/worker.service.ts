import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { IcpConfig } from '../../infra/config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { connectWorkerConnection } from '../../infra/temporal/connection';
import { EVENT_LOG } from '../../services/tokens';
import { CONFIG } from '../api/adapters.module';
import { openActivityDeps } from './activity-deps';
import { createWorker } from './create-worker';
import { installWorkerRuntimeLogging } from './runtime-logging';

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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    installWorkerRuntimeLogging(process.env.ICP_WORKER_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN');
    this.connection = await connectWorkerConnection(this.config);
    const activityDeps = await openActivityDeps(this.config, this.eventLog);
    this.closeDeps = activityDeps.close;
    this.worker = await createWorker(this.config, this.connection, activityDeps.deps);
    this.running = this.worker.run();
    this.running.catch((error: unknown) => this.logger.error(`worker stopped: ${(error as Error).message}`));
    this.logger.log(
      `polling task queue ${this.config.temporal.taskQueue} on ${this.config.temporal.address}`,
    );
  }

  // Before the infra module closes the event log and connections the activities use.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await this.closeDeps?.();
  }
}
