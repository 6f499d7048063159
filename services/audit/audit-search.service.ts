import { Inject, Injectable } from '@nestjs/common';
import { READ_MODELS } from '../tokens';
import type { FilingSummaryRow, ReadModelQueries } from '../../events/ports/read-models.port';

/** The most filings one search returns. */
export const AUDIT_SEARCH_LIMIT = 50;

/** Finds filings for auditors in the filing_summary read model (see ReadModelQueries.searchFilings). */
@Injectable()
export class AuditSearchService {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  search(q: string): Promise<FilingSummaryRow[]> {
    return this.readModels.searchFilings(q, AUDIT_SEARCH_LIMIT);
  }
}
