import { type DynamicModule, Module } from '@nestjs/common';
import type { IcpConfig } from '../infra/config/config';
import { InfraModule } from '../infra/infra.module';
import { WorkerModule } from '../infra/worker/worker.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { FilingsModule } from './filings/filings.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projections/projections.module';

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
        ...(roles.api
          ? [
              ProjectionsModule.forRoot(config, { project: config.projector === 'in-process' }),
              AuthModule,
              HealthModule,
              MetricsModule,
              FilingsModule,
              DashboardModule,
              AuditModule,
              ConsoleModule,
            ]
          : []),
        ...(roles.worker ? [WorkerModule] : []),
      ],
    };
  }
}
