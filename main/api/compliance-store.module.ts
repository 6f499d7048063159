import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createInventoryReporter } from '../../activities/compliance/inventory/report-inventory';
import type { ComplianceStore } from '../../events/ports/compliance-store.port';
import type { EventLog } from '../../events/ports/event-log.port';
import type { ReadModelQueries } from '../../events/ports/read-models.port';
import type { IcpConfig } from '../../infra/config/config';
import { openConfiguredComplianceStore } from '../../infra/compliance/open-compliance-store';
import { COMPLIANCE_STORE, EVENT_LOG, INVENTORY_REPORTER, READ_MODELS } from '../../services/tokens';

/** The compliance store (COMPLIANCE_STORE) and the inventory reporter the API writes reports with. */
@Global()
@Module({})
export class ComplianceStoreModule implements OnApplicationShutdown {
  constructor(@Inject(COMPLIANCE_STORE) private readonly store: ComplianceStore) {}

  static forRoot(config: IcpConfig): DynamicModule {
    return {
      module: ComplianceStoreModule,
      providers: [
        { provide: COMPLIANCE_STORE, useFactory: () => openConfiguredComplianceStore(config) },
        {
          provide: INVENTORY_REPORTER,
          useFactory: (eventLog: EventLog, registry: ReadModelQueries, store: ComplianceStore) =>
            createInventoryReporter({ eventLog, registry, store }),
          inject: [EVENT_LOG, READ_MODELS, COMPLIANCE_STORE],
        },
      ],
      exports: [COMPLIANCE_STORE, INVENTORY_REPORTER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
