import { Module } from '@nestjs/common';
import { FilingsModule } from '../filings/filings.module';
import { ApplicantController } from './applicant.controller';

/** The applicant's 12381 SMS verification, open without an account. */
@Module({ imports: [FilingsModule], controllers: [ApplicantController] })
export class ApplicantModule {}
