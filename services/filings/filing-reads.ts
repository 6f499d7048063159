import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';
import type { ReadModelQueries } from '../../events/ports/read-models.port';
import { FilingNotFound } from '../http/problem-details';
import { READ_MODELS } from '../tokens';
import { inScope } from './filing-scope';
import { FilingsService } from './filings.service';
import type { FilingReadQuery } from './read.requests';

/** Where an answer came from (the `X-Read-Source` header). */
export type ReadSource = 'read-model' | 'workflow';

export interface FilingRead {
  readonly view: FilingStatusView;
  readonly source: ReadSource;
}

/**
 * How long, at most, a read with `minRevision` waits for the projector before it asks the workflow:
 * the projector usually follows within tens of milliseconds; a longer lag means it is down or far behind.
 */
export const MIN_REVISION_WAIT_MS = 1_000;
/** The first pause between two looks at the row; each next one doubles. */
const FIRST_POLL_MS = 10;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `GET /v1/filings/:id`: the filing_summary row (one primary-key read) unless the caller asks for
 * the workflow (`consistency=strong`), or for a revision the row has not reached within
 * MIN_REVISION_WAIT_MS, or the projector has not seen the filing yet: then the workflow's status query.
 */
@Injectable()
export class FilingReads {
  constructor(
    private readonly filings: FilingsService,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
  ) {}

  async read(actor: Actor, filingId: string, query: FilingReadQuery): Promise<FilingRead> {
    const row =
      query.consistency === 'strong' ? undefined : await this.caughtUpRow(filingId, query.minRevision);
    if (!row) return { view: await this.filings.status(actor, filingId), source: 'workflow' };
    if (!inScope(actor, row)) throw new FilingNotFound();
    return { view: row, source: 'read-model' };
  }

  /** The row once it holds `minRevision` (any row when none is asked for); undefined when it does not in time. */
  private async caughtUpRow(filingId: string, minRevision = 0): Promise<FilingStatusView | undefined> {
    const deadline = Date.now() + MIN_REVISION_WAIT_MS;
    for (let wait = FIRST_POLL_MS; ; wait *= 2) {
      const row = await this.readModels.filingView(filingId);
      if (row && row.revision >= minRevision) return row;
      // A filing without a row and without a revision asked for: the workflow knows at once.
      if (!row && minRevision === 0) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await pause(Math.min(wait, left));
    }
  }
}
