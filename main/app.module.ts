import { type DynamicModule, Module } from '@nestjs/common';
import type { IcpConfig } from '../infra/config/config';
import { AdaptersModule } from './api/adapters.module';
import { ComplianceStoreModule } from './api/compliance-store.module';
import { ReadModelsModule } from './api/read-models.module';
import { openProjectorLease } from './projector/projector-lease';
import { WorkerModule } from './worker/worker.module';
import { ApplicantModule } from '../services/applicant/applicant.module';
import { AuditModule } from '../services/audit/audit.module';
import { AuthModule } from '../services/auth/auth.module';
import { BureauModule } from '../services/bureau/bureau.module';
import { ComplianceModule } from '../services/compliance/compliance.module';
import { CampaignModule } from '../services/compliance/campaign.module';
import { ConsoleModule } from '../services/console/console.module';
import { DashboardModule } from '../services/dashboard/dashboard.module';
import { FilingsModule } from '../services/filings/filings.module';
import { HealthModule } from '../services/health/health.module';
import { IspModule } from '../services/isp/isp.module';
import { MetricsModule } from '../services/metrics/metrics.module';
import { ProjectionsModule } from '../services/projections/projections.module';
import { PublicModule } from '../services/public/public.module';
import { RegistrationsModule } from '../services/registrations/registrations.module';
import { SigningModule } from '../services/signing/signing.module';
import { VerificationModule } from '../services/verification/verification.module';
import { TransparencyModule } from '../services/transparency/transparency.module';
import { InspectionModule } from '../services/compliance/inspection.module';

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
        AdaptersModule.forRoot(config),
        ...(roles.api
          ? [
              ReadModelsModule.forRoot(config),
              ProjectionsModule.forRoot({
                project: config.projector === 'in-process',
                lease: () => openProjectorLease(config),
              }),
              AuthModule,
              HealthModule,
              MetricsModule,
              FilingsModule,
              RegistrationsModule,
              BureauModule,
              ApplicantModule,
              PublicModule,
              SigningModule,
              DashboardModule,
              AuditModule,
              IspModule,
              VerificationModule,
              ConsoleModule,
              TransparencyModule,
              ComplianceStoreModule.forRoot(config),
              ComplianceModule,
              InspectionModule,
              CampaignModule,
            ]
          : []),
        ...(roles.worker ? [WorkerModule] : []),
      ],
    };
  }
}
