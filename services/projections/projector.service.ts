import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { EventLog } from '../../events/ports/event-log.port';
import type { ProjectionStore } from '../../events/ports/read-models.port';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import { type RunningProjector, startProjector } from './projector';

/** Keeps the read models up to date from the event log while the application runs. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private running?: RunningProjector;

  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(READ_MODELS) private readonly store: ProjectionStore,
  ) {}

  onApplicationBootstrap(): void {
    this.running = startProjector({
      eventLog: this.eventLog,
      store: this.store,
      onError: (error) => this.logger.error(`projection stopped: ${error.message}`),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  caughtUp(): Promise<void> {
    return this.running?.caughtUp() ?? Promise.resolve();
  }
}
