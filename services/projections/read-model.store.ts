import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../infra/event-log/event-log.port';
import type { FilingStage, FilingStatus } from '../../events/filing/filing-state';
import { filingIdOfStream } from '../../events/filing/stream-ids';
import { type FilingSummaryRow, projectFilingSummary } from './filing-summary.projection';
import { type PublicRegistryRow, projectPublicRegistry } from './public-registry.projection';
import { decodeCursor, encodeCursor } from './read-model.cursor';
import { configureReadModelConnection, migrateReadModelSchema } from './read-model.schema';

export const READ_MODELS_FILE = 'read-models.sqlite';

/** Each projection keeps its own checkpoint, so one can be rebuilt without the other. */
export const PROJECTION_NAMES = ['filing_summary', 'public_registry'] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

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

export interface ApplyResult {
  /** Events past the checkpoint that this call processed. */
  applied: number;
  /** The checkpoint after the call. */
  checkpoint: number;
}

interface FilingSummaryRecord {
  filing_id: string;
  platform_id: string;
  province: string;
  service_type: string;
  app_name: string;
  status: string;
  stage: string;
  registration_number: string | null;
  due_by: string | null;
  overdue: number;
  revision: number;
  submitted_at: string;
  updated_at: string;
  operator_name: string | null;
}

interface PublicRegistryRecord {
  registration_number: string;
  app_name: string;
  service_type: string;
  operator_name: string;
  province: string;
  published_at: string;
}

function toFilingSummaryRecord(row: FilingSummaryRow): FilingSummaryRecord {
  return {
    filing_id: row.filingId,
    platform_id: row.platformId,
    province: row.province,
    service_type: row.serviceType,
    app_name: row.appName,
    status: row.status,
    stage: row.stage,
    registration_number: row.registrationNumber ?? null,
    due_by: row.dueBy ?? null,
    overdue: row.overdue ? 1 : 0,
    revision: row.revision,
    submitted_at: row.submittedAt,
    updated_at: row.updatedAt,
    operator_name: row.operatorName ?? null,
  };
}

/** The record was written by toFilingSummaryRecord, so its text columns hold the union members. */
function toFilingSummaryRow(record: FilingSummaryRecord): FilingSummaryRow {
  const row = {
    filingId: record.filing_id,
    platformId: record.platform_id,
    province: record.province,
    serviceType: record.service_type,
    appName: record.app_name,
    status: record.status,
    stage: record.stage,
    overdue: record.overdue === 1,
    revision: record.revision,
    submittedAt: record.submitted_at,
    updatedAt: record.updated_at,
  } as FilingSummaryRow;
  if (record.registration_number !== null) row.registrationNumber = record.registration_number;
  if (record.due_by !== null) row.dueBy = record.due_by;
  if (record.operator_name !== null) row.operatorName = record.operator_name;
  return row;
}

function toPublicRegistryRow(record: PublicRegistryRecord): PublicRegistryRow {
  return {
    registrationNumber: record.registration_number,
    appName: record.app_name,
    serviceType: record.service_type,
    operatorName: record.operator_name,
    province: record.province,
    publishedAt: record.published_at,
  } as PublicRegistryRow;
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
  private readonly selectCheckpoint: Database.Statement<[string], { position: number }>;
  private readonly selectFiling: Database.Statement<[string], FilingSummaryRecord>;
  private readonly applyTransactions: Record<
    ProjectionName,
    Database.Transaction<(events: readonly RecordedEvent[]) => ApplyResult>
  >;

  constructor(readonly file: string) {
    this.db = new Database(file);
    try {
      configureReadModelConnection(this.db);
      migrateReadModelSchema(this.db, file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.selectCheckpoint = this.db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.selectFiling = this.db.prepare('SELECT * FROM filing_summary WHERE filing_id = ?');
    const upsertSummary = this.db.prepare<[FilingSummaryRecord]>(
      `INSERT OR REPLACE INTO filing_summary VALUES (@filing_id, @platform_id, @province, @service_type,
         @app_name, @status, @stage, @registration_number, @due_by, @overdue, @revision, @submitted_at,
         @updated_at, @operator_name)`,
    );
    const upsertPublic = this.db.prepare<[PublicRegistryRecord]>(
      `INSERT OR REPLACE INTO public_registry VALUES (@registration_number, @app_name, @service_type,
         @operator_name, @province, @published_at)`,
    );
    const applyOne: Record<ProjectionName, (event: RecordedEvent) => void> = {
      filing_summary: (event) => {
        const filingId = filingIdOfStream(event.streamId);
        if (filingId === undefined) return;
        const next = projectFilingSummary(this.getFiling(filingId), event);
        if (next) upsertSummary.run(toFilingSummaryRecord(next));
      },
      public_registry: (event) => {
        const row = projectPublicRegistry(event);
        if (!row) return;
        upsertPublic.run({
          registration_number: row.registrationNumber,
          app_name: row.appName,
          service_type: row.serviceType,
          operator_name: row.operatorName,
          province: row.province,
          published_at: row.publishedAt,
        });
      },
    };
    const transactionFor = (name: ProjectionName) =>
      this.db.transaction((events: readonly RecordedEvent[]): ApplyResult => {
        let checkpoint = this.checkpoint(name);
        let applied = 0;
        for (const event of events) {
          if (event.position <= checkpoint) continue;
          applyOne[name](event);
          checkpoint = event.position;
          applied += 1;
        }
        if (applied > 0) this.writeCheckpoint(name, checkpoint);
        return { applied, checkpoint };
      });
    this.applyTransactions = {
      filing_summary: transactionFor('filing_summary'),
      public_registry: transactionFor('public_registry'),
    };
  }

  /** Opens (creating if needed) `<dataDir>/read-models.sqlite`. */
  static open(dataDir: string): ReadModelStore {
    mkdirSync(dataDir, { recursive: true });
    return new ReadModelStore(join(dataDir, READ_MODELS_FILE));
  }

  /** The last log position the projection has applied; 0 when it has applied nothing. */
  checkpoint(name: ProjectionName): number {
    const row = this.selectCheckpoint.get(name);
    return row?.position ?? 0;
  }

  /**
   * Applies the events (in log order) that lie past the projection's checkpoint and moves the
   * checkpoint to the last one, all in one transaction; events at or below it are skipped.
   */
  applyBatch(name: ProjectionName, events: readonly RecordedEvent[]): ApplyResult {
    return this.applyTransactions[name].immediate(events);
  }

  /** Moves the checkpoint forward past positions that hold nothing for this projection (never back). */
  advanceCheckpoint(name: ProjectionName, position: number): void {
    this.db
      .transaction(() => {
        if (position > this.checkpoint(name)) this.writeCheckpoint(name, position);
      })
      .immediate();
  }

  /** Empties the projection's rows and checkpoint in one transaction, so it replays from position 0. */
  reset(name: ProjectionName): void {
    this.db
      .transaction(() => {
        this.db.prepare(`DELETE FROM ${name}`).run();
        this.db.prepare('DELETE FROM projection_checkpoints WHERE name = ?').run(name);
      })
      .immediate();
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
   * A province's filings waiting for the bureau (status `bureau_review`): overdue ones first, then by
   * due time ascending, then filingId. Keyset cursor over (overdue, dueBy, filingId).
   */
  bureauQueue(query: BureauQueueQuery): Page<FilingSummaryRow> {
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
      .prepare<[Record<string, string | number>], FilingSummaryRecord>(
        `SELECT * FROM filing_summary
         WHERE province = @province AND stage = 'bureau_review' AND status = 'bureau_review' ${after}
         ORDER BY overdue DESC, due_by ASC, filing_id ASC LIMIT @limit`,
      )
      .all(params);
    return toPage(records, query.limit, toFilingSummaryRow, (last) =>
      encodeCursor('bureau-queue', [last.overdue, last.due_by ?? '', last.filing_id]),
    );
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

  private writeCheckpoint(name: ProjectionName, position: number): void {
    this.db
      .prepare(
        'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      )
      .run(name, position);
  }
}
