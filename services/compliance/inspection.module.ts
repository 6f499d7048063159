import { Module } from '@nestjs/common';
import { InspectionController } from './inspection.controller';
import { InspectionService } from './inspection.service';

/**
 * Bureaus inspect a party's inventory (a workflow per inspection); the party answers each finding,
 * the bureau decides what went past its due date or was disputed. Reads the inventories from
 * COMPLIANCE_STORE, bound by the composition root.
 */
@Module({ controllers: [InspectionController], providers: [InspectionService] })
export class InspectionModule {}
