import { Module } from '@nestjs/common';
import { FilingsModule } from '../filings/filings.module';
import { ApplicantController } from './applicant.controller';
import { SmsAnswerRateLimits } from './sms-answer-rate-limits';

/** The applicant's 12381 SMS verification, open without an account. */
@Module({ imports: [FilingsModule], controllers: [ApplicantController], providers: [SmsAnswerRateLimits] })
export class ApplicantModule {}
