import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { SweepController } from './sweep.controller';
import { SweepService } from './sweep.service';

/** Compliance: the parties' inventory reports and the bureaus' deadline sweeps. */
@Module({ controllers: [InventoryController, SweepController], providers: [InventoryService, SweepService] })
export class ComplianceModule {}
