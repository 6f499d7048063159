import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { FilingStage, FilingStatus } from '../../events/filing/filing-state';
import type { WorkingDayCalendar } from '../../events/working-days';
import type { BureauQueueRow } from './bureau-queue.projection';
import type { FilingSummaryRow } from './filing-summary.projection';
import { type ApplyResult, ProjectionWriter } from './projection-writer';
import type { PublicRegistryRow } from './public-registry.projection';
import { decodeCursor, encodeCursor } from './read-model.cursor';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryRecord,
  toBureauQueueRow,
  toFilingSummaryRow,
  toPublicRegistryRow,
} from './read-model.records';
import { configureReadModelConnection, migrateReadModelSchema } from './read-model.schema';
import { PROJECTION_NAMES, type ProjectionName, liveTableSet } from './read-model.tables';
import { ShadowTables } from './shadow-tables';
import { type SlaDashboard, type SlaDashboardQuery, readSlaDashboard } from './sla-dashboard.query';

export { PROJECTION_NAMES, type ProjectionName } from './read-model.tables';
export type { ApplyResult } from './projection-writer';

export const READ_MODELS_FILE = 'read-models.sqlite';

/** The most rows one page may hold. */
export const MAX_PAGE_SIZE = 200;
/** The most rows a public name search returns. */
export const PUBLIC_SEARCH_LIMIT = 50;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` (with the same filters) for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface ListFilingsQuery {
  status?: FilingStatus;
  stage?: FilingStage;
  province?: string;
  platformId?: string;
  cursor?: string;
  limit: number;
}

export interface BureauQueueQuery {
  province: string;
  cursor?: string;
  limit: number;
}

export interface PublicLookup {
  /** Exact service number, e.g. `粤ICP备2026000123号-1A`. */
  number?: string;
  /** Substring of the app name. */
  appName?: string;
  /** Substring of the operator name. */
  operatorName?: string;
}

/** A filing waiting in a bureau's queue. */
export type BureauQueueItem = Omit<BureauQueueRow, 'queuedAt' | 'dueBy'> & {
  status: 'bureau_review';
  stage: 'bureau_review';
  queuedAt: string;
  dueBy: string;
};

function toQueueItem(record: BureauQueueRecord): BureauQueueItem {
  const row = toBureauQueueRow(record);
  return {
    ...row,
    status: 'bureau_review',
    stage: 'bureau_review',
    queuedAt: row.queuedAt ?? '',
    dueBy: row.dueBy ?? '',
  };
}

export interface ReadModelStoreOptions {
  /** The working-day calendar of the SLA figures; default China's, from `chinese-days`. */
  calendar?: WorkingDayCalendar;
}

function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
}

/** Reads one row more than the page holds to know whether another page follows. */
function toPage<R, T>(
  records: R[],
  limit: number,
  toItem: (record: R) => T,
  keyOf: (record: R) => string,
): Page<T> {
  const items = records.slice(0, limit);
  const last = items[items.length - 1];
  const page: Page<T> = { items: items.map(toItem) };
  if (records.length > limit && last !== undefined) page.nextCursor = keyOf(last);
  return page;
}

/**
 * The read database, `<dataDir>/read-models.sqlite` (WAL). Rows and the projection's checkpoint are
 * written in one transaction, so an event delivered twice (at-least-once) is never applied twice.
 */
export class ReadModelStore {
  private readonly db: Database.Database;
  private readonly calendar: WorkingDayCalendar;
  private readonly selectFiling: Database.Statement<[string], FilingSummaryRecord>;
  private readonly writers: Record<ProjectionName, ProjectionWriter>;

  constructor(
    readonly file: string,
    options: ReadModelStoreOptions = {},
  ) {
    this.db = new Database(file);
    try {
      configureReadModelConnection(this.db);
      migrateReadModelSchema(this.db, file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.calendar = options.calendar ?? loadChineseCalendar();
    this.selectFiling = this.db.prepare('SELECT * FROM filing_summary WHERE filing_id = ?');
    const writer = (name: ProjectionName) => new ProjectionWriter(this.db, liveTableSet(name), this.calendar);
    this.writers = {
      filing_summary: writer('filing_summary'),
      bureau_queue: writer('bureau_queue'),
      public_registry: writer('public_registry'),
      sla_dashboard: writer('sla_dashboard'),
    };
  }

  /** Opens (creating if needed) `<dataDir>/read-models.sqlite`. */
  static open(dataDir: string, options: ReadModelStoreOptions = {}): ReadModelStore {
    mkdirSync(dataDir, { recursive: true });
    return new ReadModelStore(join(dataDir, READ_MODELS_FILE), options);
  }

  /** The last log position the projection has applied; 0 when it has applied nothing. */
  checkpoint(name: ProjectionName): number {
    return this.writers[name].checkpoint();
  }

  /** The lowest checkpoint of all projections: everything up to it is in every read model. */
  lowestCheckpoint(): number {
    return Math.min(...PROJECTION_NAMES.map((name) => this.checkpoint(name)));
  }

  /**
   * Applies the events (in log order) that lie past the projection's checkpoint and moves the
   * checkpoint to the last one, all in one transaction; events at or below it are skipped.
   */
  applyBatch(name: ProjectionName, events: readonly RecordedEvent[]): ApplyResult {
    return this.writers[name].applyBatch(events);
  }

  /** Moves the checkpoint forward past positions that hold nothing for this projection (never back). */
  advanceCheckpoint(name: ProjectionName, position: number): void {
    this.writers[name].advanceCheckpoint(position);
  }

  /** Empties the projection's rows and checkpoint in one transaction, so it replays from position 0. */
  reset(name: ProjectionName): void {
    this.db
      .transaction(() => {
        for (const table of Object.values(liveTableSet(name).tables))
          this.db.prepare(`DELETE FROM ${table}`).run();
        this.db.prepare('DELETE FROM projection_checkpoints WHERE name = ?').run(name);
      })
      .immediate();
  }

  /** The writer of a projection's live tables. */
  liveWriter(name: ProjectionName): ProjectionWriter {
    return this.writers[name];
  }

  /** Shadow tables for rebuilding `name` while the live ones keep serving (see ShadowTables). */
  openShadow(name: ProjectionName): ShadowTables {
    return ShadowTables.create(this.db, name, this.calendar);
  }

  /** Runs `work` in one write transaction of the read database. */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /**
   * Filings by id, by registration number (exact, or a subject number's services by prefix), or by
   * part of the app or operator name, case-folded; exact matches first, then the newest submissions.
   */
  searchFilings(q: string, limit: number): FilingSummaryRow[] {
    return this.db
      .prepare<[{ q: string; folded: string; limit: number }], FilingSummaryRecord>(
        `SELECT * FROM filing_summary
         WHERE filing_id = @q
            OR instr(registration_number, @q) = 1
            OR instr(lower(app_name), @folded) > 0
            OR instr(lower(coalesce(operator_name, '')), @folded) > 0
         ORDER BY (filing_id = @q OR registration_number = @q) DESC, submitted_at DESC, filing_id DESC
         LIMIT @limit`,
      )
      .all({ q, folded: q.toLowerCase(), limit })
      .map(toFilingSummaryRow);
  }

  getFiling(filingId: string): FilingSummaryRow | undefined {
    const record = this.selectFiling.get(filingId);
    return record && toFilingSummaryRow(record);
  }

  /**
   * Filings matching every given filter, newest submission first: keyset order (submittedAt desc,
   * filingId desc). A row's key never changes, so paging is stable while filings move on.
   */
  listFilings(query: ListFilingsQuery): Page<FilingSummaryRow> {
    assertLimit(query.limit);
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit + 1 };
    const filters = [
      ['status', query.status],
      ['stage', query.stage],
      ['province', query.province],
      ['platform_id', query.platformId],
    ] as const;
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      where.push(`${column} = @${column}`);
      params[column] = value;
    }
    if (query.cursor !== undefined) {
      const [submittedAt, filingId] = decodeCursor(query.cursor, 'filings', ['string', 'string']);
      where.push('(submitted_at, filing_id) < (@afterSubmittedAt, @afterFilingId)');
      params.afterSubmittedAt = submittedAt as string;
      params.afterFilingId = filingId as string;
    }
    const records = this.db
      .prepare<[Record<string, string | number>], FilingSummaryRecord>(
        `SELECT * FROM filing_summary ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY submitted_at DESC, filing_id DESC LIMIT @limit`,
      )
      .all(params);
    return toPage(records, query.limit, toFilingSummaryRow, (last) =>
      encodeCursor('filings', [last.submitted_at, last.filing_id]),
    );
  }

  /**
   * A province's filings waiting for the bureau: overdue ones first, then by due time ascending,
   * then filingId. Keyset cursor over (overdue, dueBy, filingId).
   */
  bureauQueue(query: BureauQueueQuery): Page<BureauQueueItem> {
    assertLimit(query.limit);
    const params: Record<string, string | number> = { province: query.province, limit: query.limit + 1 };
    let after = '';
    if (query.cursor !== undefined) {
      const [overdue, dueBy, filingId] = decodeCursor(query.cursor, 'bureau-queue', [
        'number',
        'string',
        'string',
      ]);
      after = `AND (overdue < @afterOverdue OR (overdue = @afterOverdue AND (due_by, filing_id) > (@afterDueBy, @afterFilingId)))`;
      params.afterOverdue = overdue as number;
      params.afterDueBy = dueBy as string;
      params.afterFilingId = filingId as string;
    }
    const records = this.db
      .prepare<[Record<string, string | number>], BureauQueueRecord>(
        `SELECT * FROM bureau_queue
         WHERE province = @province AND queued_at IS NOT NULL ${after}
         ORDER BY overdue DESC, due_by ASC, filing_id ASC LIMIT @limit`,
      )
      .all(params);
    return toPage(records, query.limit, toQueueItem, (last) =>
      encodeCursor('bureau-queue', [last.overdue, last.due_by ?? '', last.filing_id]),
    );
  }

  /** Filings by stage and province, overdue counts and median days per stage. */
  slaDashboard(query: SlaDashboardQuery): SlaDashboard {
    return readSlaDashboard(this.db, query);
  }

  /**
   * Public registrations matching every given criterion (exact number; app and operator name by
   * substring), at most PUBLIC_SEARCH_LIMIT, ordered by registration number. No criterion → none.
   */
  findPublic(lookup: PublicLookup): PublicRegistryRow[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: PUBLIC_SEARCH_LIMIT };
    if (lookup.number !== undefined) {
      where.push('registration_number = @number');
      params.number = lookup.number;
    }
    if (lookup.appName) {
      where.push('instr(app_name, @appName) > 0');
      params.appName = lookup.appName;
    }
    if (lookup.operatorName) {
      where.push('instr(operator_name, @operatorName) > 0');
      params.operatorName = lookup.operatorName;
    }
    if (where.length === 0) return [];
    return this.db
      .prepare<[Record<string, string | number>], PublicRegistryRecord>(
        `SELECT * FROM public_registry WHERE ${where.join(' AND ')}
         ORDER BY registration_number LIMIT @limit`,
      )
      .all(params)
      .map(toPublicRegistryRow);
  }

  close(): void {
    this.db.close();
  }
}
