import { Module } from '@nestjs/common';
import { FilingsModule } from '../filings/filings.module';
import { BureauController } from './bureau.controller';
import { BureauFilingService } from './bureau-filing.service';
import { BureauReviewController } from './bureau-review.controller';

/** What a provincial bureau operator does: its review queue, a filing's detail, the decision. */
@Module({
  imports: [FilingsModule],
  controllers: [BureauController, BureauReviewController],
  providers: [BureauFilingService],
})
export class BureauModule {}
