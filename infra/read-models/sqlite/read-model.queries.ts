import type Database from 'better-sqlite3';
import {
  type BureauQueueItem,
  type BureauQueueQuery,
  type FilingSummaryRow,
  type ListFilingsQuery,
  MAX_PAGE_SIZE,
  type Page,
  PUBLIC_SEARCH_LIMIT,
  type PublicLookup,
  type PublicRegistryRow,
} from '../../../events/ports/read-models.port';
import { decodeCursor, encodeCursor } from '../page-cursor';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryRecord,
  toBureauQueueRow,
  toFilingSummaryRow,
  toPublicRegistryRow,
} from './read-model.records';

/** The read models' queries over the live tables (see ReadModelQueries for what each answers). */

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

export function searchFilings(db: Database.Database, q: string, limit: number): FilingSummaryRow[] {
  return db
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

export function listFilings(db: Database.Database, query: ListFilingsQuery): Page<FilingSummaryRow> {
  assertLimit(query.limit);
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: query.limit + 1 };
  const filters = [
    ['status', query.status],
    ['stage', query.stage],
    ['kind', query.kind],
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
  const records = db
    .prepare<[Record<string, string | number>], FilingSummaryRecord>(
      `SELECT * FROM filing_summary ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY submitted_at DESC, filing_id DESC LIMIT @limit`,
    )
    .all(params);
  return toPage(records, query.limit, toFilingSummaryRow, (last) =>
    encodeCursor('filings', [last.submitted_at, last.filing_id]),
  );
}

/** Keyset cursor over (overdue, dueBy, filingId). */
export function bureauQueue(db: Database.Database, query: BureauQueueQuery): Page<BureauQueueItem> {
  assertLimit(query.limit);
  const params: Record<string, string | number> = { province: query.province, limit: query.limit + 1 };
  let conditions = '';
  if (query.cursor !== undefined) {
    const [overdue, dueBy, filingId] = decodeCursor(query.cursor, 'bureau-queue', [
      'number',
      'string',
      'string',
    ]);
    conditions = `AND (overdue < @afterOverdue OR (overdue = @afterOverdue AND (due_by, filing_id) > (@afterDueBy, @afterFilingId)))`;
    params.afterOverdue = overdue as number;
    params.afterDueBy = dueBy as string;
    params.afterFilingId = filingId as string;
  }
  if (query.kind !== undefined) {
    conditions += ' AND kind = @kind';
    params.kind = query.kind;
  }
  const records = db
    .prepare<[Record<string, string | number>], BureauQueueRecord>(
      `SELECT * FROM bureau_queue
       WHERE province = @province AND queued_at IS NOT NULL ${conditions}
       ORDER BY overdue DESC, due_by ASC, filing_id ASC LIMIT @limit`,
    )
    .all(params);
  return toPage(records, query.limit, toQueueItem, (last) =>
    encodeCursor('bureau-queue', [last.overdue, last.due_by ?? '', last.filing_id]),
  );
}

export function findPublic(db: Database.Database, lookup: PublicLookup): PublicRegistryRow[] {
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
  return db
    .prepare<[Record<string, string | number>], PublicRegistryRecord>(
      `SELECT * FROM public_registry WHERE ${where.join(' AND ')}
       ORDER BY registration_number LIMIT @limit`,
    )
    .all(params)
    .map(toPublicRegistryRow);
}
