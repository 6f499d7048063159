import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { EventLog } from '../../events/ports/event-log.port';
import type { ProjectionLease } from '../../events/ports/projection-lease.port';
import type { ProjectionStore } from '../../events/ports/read-models.port';
import { EVENT_LOG, PROJECTION_LEASE, READ_MODELS } from '../tokens';
import { type LeasedProjector, type ProjectorRole, startLeasedProjector } from './projector-standby';

/** What this process's projector does: its role, or `external` when `icp projector` runs it elsewhere. */
export type ProjectorStatus = ProjectorRole | 'external';

export interface ProjectorStatusSource {
  projectorStatus(): ProjectorStatus;
}

export const EXTERNAL_PROJECTOR: ProjectorStatusSource = { projectorStatus: () => 'external' };

/**
 * Keeps the read models up to date from the event log while the application runs; with a lease
 * (DATABASE_URL), only while this process holds it, standing by otherwise.
 */
@Injectable()
export class ProjectorService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, ProjectorStatusSource
{
  private readonly logger = new Logger('Projector');
  private running?: LeasedProjector;

  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(READ_MODELS) private readonly store: ProjectionStore,
    @Optional() @Inject(PROJECTION_LEASE) private readonly lease?: ProjectionLease,
  ) {}

  onApplicationBootstrap(): void {
    this.running = startLeasedProjector({
      eventLog: this.eventLog,
      store: this.store,
      lease: this.lease ?? undefined,
      onError: (error) => this.logger.error(`projection stopped: ${error.message}`),
      onStateChange: ({ role, reason }) => {
        if (role === 'standby')
          this.logger.warn(`standing by: ${reason ?? 'another process holds the lease'}`);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  caughtUp(): Promise<void> {
    return this.running?.caughtUp() ?? Promise.resolve();
  }

  projectorStatus(): ProjectorStatus {
    return this.running?.state().role ?? 'standby';
  }
}
