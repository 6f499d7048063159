import { Module } from '@nestjs/common';
import { FilingGateway } from './filing-gateway';
import { FilingReads } from './filing-reads';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';
import { IdentifierClaims } from './identifier-claims';

/** A platform's filings: submission, reads and its decisions; other rooms reach the workflow through FilingsService. */
@Module({
  controllers: [FilingsController],
  providers: [FilingGateway, FilingsService, FilingReads, IdentifierClaims],
  exports: [FilingsService],
})
export class FilingsModule {}
