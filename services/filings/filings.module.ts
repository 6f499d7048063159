import { Module } from '@nestjs/common';
import { ApplicantController } from '../applicant/applicant.controller';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';

@Module({ controllers: [FilingsController, ApplicantController], providers: [FilingsService] })
export class FilingsModule {}
