import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { IcpConfig } from '../../infra/config/config';
import { READ_MODELS } from '../tokens';
import { ProjectorService } from './projector.service';
import { ReadModelStore } from './read-model.store';

/** The read models (SQLite read database) and, when `project` is set, the projector that feeds them. */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly store: ReadModelStore) {}

  static forRoot(config: IcpConfig, options: { project: boolean }): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: READ_MODELS, useFactory: () => ReadModelStore.open(config.dataDir) },
        ...(options.project ? [ProjectorService] : []),
      ],
      exports: [READ_MODELS],
    };
  }

  onApplicationShutdown(): void {
    this.store.close();
  }
}
