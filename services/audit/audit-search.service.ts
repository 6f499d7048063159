import { Inject, Injectable } from '@nestjs/common';
import { READ_MODELS } from '../tokens';
import type { FilingSummaryRow } from '../projections/filing-summary.projection';
import type { ReadModelStore } from '../projections/read-model.store';

/** The most filings one search returns. */
export const AUDIT_SEARCH_LIMIT = 50;

/** Finds filings for auditors in the filing_summary read model (see ReadModelStore.searchFilings). */
@Injectable()
export class AuditSearchService {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelStore) {}

  search(q: string): FilingSummaryRow[] {
    return this.readModels.searchFilings(q, AUDIT_SEARCH_LIMIT);
  }
}
