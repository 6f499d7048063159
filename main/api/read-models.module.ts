import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadModelStore } from '../../events/ports/read-models.port';
import type { WorkingDayCalendar } from '../../events/working-days';
import type { IcpConfig } from '../../infra/config/config';
import { READ_MODELS, WORKING_DAY_CALENDAR } from '../../services/tokens';
import { openConfiguredReadModels } from '../read-models';

/** The read models (READ_MODELS) the API reads and an in-process projector writes. */
@Global()
@Module({})
export class ReadModelsModule implements OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly store: ReadModelStore) {}

  static forRoot(config: IcpConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        {
          provide: READ_MODELS,
          useFactory: (calendar: WorkingDayCalendar) => openConfiguredReadModels(config, calendar),
          inject: [WORKING_DAY_CALENDAR],
        },
      ],
      exports: [READ_MODELS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
