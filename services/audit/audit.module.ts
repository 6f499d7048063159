import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditSearchController } from './audit-search.controller';
import { AuditSearchService } from './audit-search.service';
import { ComplianceAuditController } from './compliance-audit.controller';
import { RegistryAuditController } from './registry-audit.controller';
import { RegistryAuditService } from './registry-audit.service';
import { AUDIT_OPTIONS, AuditService, type AuditServiceOptions } from './audit.service';
import { DEFAULT_TEMPORAL_TIMEOUT_MS } from './temporal-cross-check';
import type { WorkingDayCalendar } from '../../events/working-days/working-day-calendar';
import { WORKING_DAY_CALENDAR } from '../tokens';

@Module({
  controllers: [AuditController, AuditSearchController, RegistryAuditController, ComplianceAuditController],
  providers: [
    AuditService,
    AuditSearchService,
    RegistryAuditService,
    {
      provide: AUDIT_OPTIONS,
      inject: [WORKING_DAY_CALENDAR],
      useFactory: (calendar: WorkingDayCalendar): AuditServiceOptions => ({
        calendar,
        temporalTimeoutMs: DEFAULT_TEMPORAL_TIMEOUT_MS,
      }),
    },
  ],
})
export class AuditModule {}
