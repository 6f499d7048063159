import { Module } from '@nestjs/common';
import { ApplicantController } from '../applicant/applicant.controller';
import { BureauController } from '../bureau/bureau.controller';
import { BureauFilingService } from '../bureau/bureau-filing.service';
import { PublicController } from '../public/public.controller';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';

@Module({
  controllers: [FilingsController, ApplicantController, BureauController, PublicController],
  providers: [FilingsService, BureauFilingService],
})
export class FilingsModule {}
