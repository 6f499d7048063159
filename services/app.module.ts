import { type DynamicModule, Module } from '@nestjs/common';
import type { IcpConfig } from '../infra/config/config';
import { InfraModule } from '../infra/infra.module';
import { WorkerModule } from '../infra/worker/worker.module';
import { HealthModule } from './health/health.module';

export interface AppRoles {
  /** Serve the HTTP API. */
  api: boolean;
  /** Run a Temporal worker in this process. */
  worker: boolean;
}

@Module({})
export class AppModule {
  static forRoot(config: IcpConfig, roles: AppRoles): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfraModule.forRoot(config),
        ...(roles.api ? [HealthModule] : []),
        ...(roles.worker ? [WorkerModule] : []),
      ],
    };
  }
}
