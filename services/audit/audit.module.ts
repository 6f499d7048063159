import { Module } from '@nestjs/common';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { AuditController } from './audit.controller';
import { AuditSearchController } from './audit-search.controller';
import { AuditSearchService } from './audit-search.service';
import { AUDIT_OPTIONS, AuditService, type AuditServiceOptions } from './audit.service';
import { DEFAULT_TEMPORAL_TIMEOUT_MS } from './temporal-cross-check';

@Module({
  controllers: [AuditController, AuditSearchController],
  providers: [
    AuditService,
    AuditSearchService,
    {
      provide: AUDIT_OPTIONS,
      useFactory: (): AuditServiceOptions => ({
        calendar: loadChineseCalendar(),
        temporalTimeoutMs: DEFAULT_TEMPORAL_TIMEOUT_MS,
      }),
    },
  ],
})
export class AuditModule {}
