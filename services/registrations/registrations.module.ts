import { Module } from '@nestjs/common';
import { FilingsModule } from '../filings/filings.module';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsService } from './registrations.service';

/** Changes, cancellations and new accesses of registrations: filings of their kinds, started through FilingsService. */
@Module({
  imports: [FilingsModule],
  controllers: [RegistrationsController],
  providers: [RegistrationsService],
})
export class RegistrationsModule {}
