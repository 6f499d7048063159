import type { PoolClient } from 'pg';
import { filingIdOfStream } from '../../../events/filing/stream-ids';
import type { RecordedEvent } from '../../../events/ports/event-log.port';

/**
 * A projection asked a batch for a row it has not loaded. The projections read rows synchronously,
 * so the batch loads the row (inside its transaction) and projects the event again: projections are
 * pure, and an event's rows are set only once its projection has returned.
 */
export class RowMiss extends Error {
  override readonly name = 'RowMiss';

  constructor(readonly load: (client: PoolClient) => Promise<void>) {
    super('read-model row not loaded yet');
  }
}

/**
 * One table's rows within a batch (one transaction) by key: loaded once, set in memory by the batch's
 * events and written at the end. The table itself does not change until then, so what was loaded
 * stays true for the whole batch.
 */
export class BatchRows<Row, R extends object = Record<string, unknown>> {
  private readonly rows = new Map<string, Row | undefined>();
  /** The records as stored when loaded, to write back only the rows that changed. */
  private readonly stored = new Map<string, R>();
  private readonly changedKeys = new Set<string>();

  constructor(
    readonly table: string,
    private readonly key: keyof R & string,
    private readonly toRow: (record: R) => Row,
  ) {}

  /** The row under `key` (undefined: none) as the batch's earlier events left it; RowMiss if not loaded. */
  get(key: string): Row | undefined {
    if (!this.rows.has(key)) throw new RowMiss((client) => this.load(client, [key]));
    return this.rows.get(key);
  }

  /** Loads the rows under `keys` not known yet, in one query. */
  async load(client: PoolClient, keys: readonly string[]): Promise<void> {
    const wanted = [...new Set(keys)].filter((key) => !this.rows.has(key));
    if (wanted.length === 0) return;
    for (const key of wanted) this.rows.set(key, undefined);
    await this.loadWhere(client, `${this.key} = ANY($1)`, [wanted]);
  }

  /** Loads the stored rows matching `where` (keeping the batch's own version of any); their keys. */
  async loadWhere(client: PoolClient, where: string, params: readonly unknown[]): Promise<string[]> {
    const result = await client.query<R>(`SELECT * FROM ${this.table} WHERE ${where}`, [...params]);
    return result.rows.map((record) => {
      const key = String(record[this.key]);
      if (this.rows.get(key) === undefined && !this.changedKeys.has(key)) {
        this.rows.set(key, this.toRow(record));
        this.stored.set(key, record);
      }
      return key;
    });
  }

  /** Every row loaded or set in this batch. */
  known(): Row[] {
    return [...this.rows.values()].filter((row): row is Row => row !== undefined);
  }

  set(key: string, row: Row): void {
    this.rows.set(key, row);
    this.changedKeys.add(key);
  }

  /** The rows the batch set to something else than what is stored, with their records and the stored ones. */
  changed(toRecord: (row: Row) => R): Array<ChangedRow<Row, R>> {
    return [...this.changedKeys].flatMap((key) => {
      const row = this.rows.get(key);
      if (row === undefined) return [];
      const record = toRecord(row);
      const before = this.stored.get(key);
      return before !== undefined && sameRecord(before, record) ? [] : [{ row, record, before }];
    });
  }

  /** The records of `changed`. */
  changedRecords(toRecord: (row: Row) => R): R[] {
    return this.changed(toRecord).map((changed) => changed.record);
  }
}

export interface ChangedRow<Row, R> {
  row: Row;
  record: R;
  /** As stored before the batch; undefined when the row is new (or was not read). */
  before: R | undefined;
}

/** Whether every column of `after` holds what `before` holds (pg gives INTEGER as number, as written). */
function sameRecord(before: object, after: object): boolean {
  const stored = before as Record<string, unknown>;
  return Object.entries(after).every(([column, value]) => stored[column] === value);
}

/** Most parameters one statement is given (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 30_000;

/** INSERT … ON CONFLICT (key) DO UPDATE of `records` (one row per key), in as few statements as fit. */
export async function upsertRecords(
  client: PoolClient,
  table: string,
  key: readonly string[],
  records: readonly object[],
): Promise<void> {
  const [sample] = records;
  if (sample === undefined) return;
  const columns = Object.keys(sample);
  const updates = columns.filter((column) => !key.includes(column));
  const conflict = updates.length
    ? `DO UPDATE SET ${updates.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`
    : 'DO NOTHING';
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < records.length; start += perStatement) {
    const chunk = records.slice(start, start + perStatement) as ReadonlyArray<Record<string, unknown>>;
    const tuples = chunk.map(
      (_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
    );
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (${key.join(', ')}) ${conflict}`,
      chunk.flatMap((record) => columns.map((column) => record[column] ?? null)),
    );
  }
}

/** One batch's projecting: rows read into memory, events applied there, changed rows written at the end. */
export interface PgApplier {
  /** Loads, in a query per table, the rows the batch's events will surely read (their filings'). */
  prefetch(client: PoolClient, events: readonly RecordedEvent[]): Promise<void>;
  /** Projects one event onto the batch's rows; throws RowMiss (setting nothing) for a row not loaded. */
  apply(event: RecordedEvent): void;
  /** Writes the rows the batch changed. */
  flush(client: PoolClient): Promise<void>;
}

/** The filings whose streams `events` come from. */
export function filingIdsOf(events: readonly RecordedEvent[]): string[] {
  return events.flatMap((event) => filingIdOfStream(event.streamId) ?? []);
}
