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
} from '../../events/ports/read-models.port';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { filingViewOfRow } from './filing-view-of-row';
import { decodeCursor, encodeCursor } from './page-cursor';
import { type ReadSql, first, strposOf } from './read-sql';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryRecord,
  toBureauQueueRow,
  toFilingSummaryRow,
  toPublicRegistryRow,
} from './read-model.records';

/** The read models' queries over the live tables, either backend (see ReadModelQueries for what each answers). */

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

export async function getFiling(sql: ReadSql, filingId: string): Promise<FilingSummaryRow | undefined> {
  const record = await first<FilingSummaryRecord>(
    sql,
    'SELECT * FROM filing_summary WHERE filing_id = @filingId',
    {
      filingId,
    },
  );
  return record && toFilingSummaryRow(record);
}

/** One primary-key read: the view as of the row's revision (see filingViewOfRow). */
export async function filingView(sql: ReadSql, filingId: string): Promise<FilingStatusView | undefined> {
  const row = await getFiling(sql, filingId);
  return row && filingViewOfRow(row);
}

export async function searchFilings(sql: ReadSql, q: string, limit: number): Promise<FilingSummaryRow[]> {
  const at = (haystack: string, needle: string) => strposOf(sql.dialect, haystack, needle);
  // NULLS LAST: SQLite's order for a match on a filing without a registration number (DESC).
  const records = await sql.all<FilingSummaryRecord>(
    `SELECT * FROM filing_summary
     WHERE filing_id = @q
        OR ${at('registration_number', '@q')} = 1
        OR ${at('lower(app_name)', '@folded')} > 0
        OR ${at("lower(coalesce(operator_name, ''))", '@folded')} > 0
     ORDER BY (filing_id = @q OR registration_number = @q) DESC NULLS LAST, submitted_at DESC, filing_id DESC
     LIMIT @limit`,
    { q, folded: q.toLowerCase(), limit },
  );
  return records.map(toFilingSummaryRow);
}

export async function listFilings(sql: ReadSql, query: ListFilingsQuery): Promise<Page<FilingSummaryRow>> {
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
  const records = await sql.all<FilingSummaryRecord>(
    `SELECT * FROM filing_summary ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY submitted_at DESC, filing_id DESC LIMIT @limit`,
    params,
  );
  return toPage(records, query.limit, toFilingSummaryRow, (last) =>
    encodeCursor('filings', [last.submitted_at, last.filing_id]),
  );
}

/** Keyset cursor over (overdue, dueBy, filingId). */
export async function bureauQueue(sql: ReadSql, query: BureauQueueQuery): Promise<Page<BureauQueueItem>> {
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
  const records = await sql.all<BureauQueueRecord>(
    `SELECT * FROM bureau_queue
     WHERE province = @province AND queued_at IS NOT NULL ${conditions}
     ORDER BY overdue DESC, due_by ASC NULLS FIRST, filing_id ASC LIMIT @limit`,
    params,
  );
  return toPage(records, query.limit, toQueueItem, (last) =>
    encodeCursor('bureau-queue', [last.overdue, last.due_by ?? '', last.filing_id]),
  );
}

export async function findPublic(sql: ReadSql, lookup: PublicLookup): Promise<PublicRegistryRow[]> {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: PUBLIC_SEARCH_LIMIT };
  if (lookup.number !== undefined) {
    where.push('registration_number = @number');
    params.number = lookup.number;
  }
  if (lookup.appName) {
    where.push(`${strposOf(sql.dialect, 'app_name', '@appName')} > 0`);
    params.appName = lookup.appName;
  }
  if (lookup.operatorName) {
    where.push(`${strposOf(sql.dialect, 'operator_name', '@operatorName')} > 0`);
    params.operatorName = lookup.operatorName;
  }
  if (where.length === 0) return [];
  const records = await sql.all<PublicRegistryRecord>(
    `SELECT * FROM public_registry WHERE ${where.join(' AND ')}
     ORDER BY registration_number LIMIT @limit`,
    params,
  );
  return records.map(toPublicRegistryRow);
}
