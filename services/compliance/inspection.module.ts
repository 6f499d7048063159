import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ComplianceInventories } from '../../events/ports/compliance-store.port';
import { COMPLIANCE_INVENTORIES } from '../tokens';
import { InspectionController } from './inspection.controller';
import { InspectionService } from './inspection.service';

/** The inventories as opened by the composition root; closed with the application. */
export type OpenInventories = () => Promise<ComplianceInventories & { close?(): Promise<void> }>;

/**
 * Bureaus inspect a party's inventory (a workflow per inspection); the party answers each finding,
 * the bureau decides what went past its due date or was disputed.
 */
@Module({})
export class InspectionModule implements OnApplicationShutdown {
  constructor(
    @Inject(COMPLIANCE_INVENTORIES)
    private readonly inventories: ComplianceInventories & { close?(): Promise<void> },
  ) {}

  static forRoot(openInventories: OpenInventories): DynamicModule {
    return {
      module: InspectionModule,
      controllers: [InspectionController],
      providers: [InspectionService, { provide: COMPLIANCE_INVENTORIES, useFactory: openInventories }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.inventories.close?.();
  }
}
