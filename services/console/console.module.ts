import { Module } from '@nestjs/common';
import { loadConsoleAssets } from './console-assets';
import { CONSOLE_ASSETS, ConsoleController } from './console.controller';

/** The web console for bureau operators, auditors and the public, served at /console. */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: CONSOLE_ASSETS, useFactory: () => loadConsoleAssets() }],
})
export class ConsoleModule {}
