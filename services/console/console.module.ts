import { Module } from '@nestjs/common';
import type { WorkingDayDataset } from '../../events/working-days/working-day-calendar';
import { WORKING_DAY_DATASET } from '../tokens';
import { loadConsoleAssets } from './console-assets';
import { CONSOLE_ASSETS, ConsoleController } from './console.controller';

/** The web console for bureau operators, auditors and the public, served at /console. */
@Module({
  controllers: [ConsoleController],
  providers: [
    {
      provide: CONSOLE_ASSETS,
      inject: [WORKING_DAY_DATASET],
      useFactory: (dataset: WorkingDayDataset) => loadConsoleAssets(dataset),
    },
  ],
})
export class ConsoleModule {}
