import type Database from 'better-sqlite3';

type Values = Record<string, unknown>;

/**
 * One table's stored records, written with only what changed: a new key is inserted (an upsert, for
 * callers that did not read the row first), a known one is updated in just the columns whose values
 * differ, and an unchanged one is not written at all. SQLite's UPDATE rewrites only the indexes that
 * hold a changed column, where `INSERT OR REPLACE` deleted and reinserted the row in every index.
 * The columns are those of the records given (the table's, whatever they are).
 */
export class RecordTable<R extends object> {
  private readonly select?: Database.Statement<[string], R>;
  private upsert?: Database.Statement<[Values]>;
  private readonly updates = new Map<string, Database.Statement<[Values]>>();

  constructor(
    private readonly db: Database.Database,
    readonly table: string,
    private readonly key: readonly (keyof R & string)[],
  ) {
    const [only] = key;
    if (key.length === 1 && only !== undefined)
      this.select = db.prepare<[string], R>(`SELECT * FROM ${table} WHERE ${only} = ?`);
  }

  /** The record under a one-column key; undefined when none is stored. */
  load(key: string): R | undefined {
    if (!this.select) throw new Error(`${this.table}: load needs a one-column key`);
    return this.select.get(key);
  }

  /** Stores `after` over `before` (what is stored under its key; undefined: unknown or none). True if written. */
  write(before: R | undefined, after: R): boolean {
    const values = after as Values;
    if (before === undefined) {
      this.upsertFor(values).run(values);
      return true;
    }
    const stored = before as Values;
    const changed = Object.keys(values).filter((column) => stored[column] !== values[column]);
    if (changed.length === 0) return false;
    this.updateOf(changed).run(values);
    return true;
  }

  private upsertFor(values: Values): Database.Statement<[Values]> {
    if (this.upsert) return this.upsert;
    const columns = Object.keys(values);
    const others = columns.filter((column) => !(this.key as readonly string[]).includes(column));
    const conflict = others.length
      ? `DO UPDATE SET ${others.map((column) => `${column} = excluded.${column}`).join(', ')}`
      : 'DO NOTHING';
    this.upsert = this.db.prepare<[Values]>(
      `INSERT INTO ${this.table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
       ON CONFLICT (${this.key.join(', ')}) ${conflict}`,
    );
    return this.upsert;
  }

  /** An UPDATE of exactly `columns`, prepared once per set of columns (a handful occur). */
  private updateOf(columns: readonly string[]): Database.Statement<[Values]> {
    const id = columns.join(',');
    let update = this.updates.get(id);
    if (!update) {
      const where = this.key.map((column) => `${column} = @${column}`).join(' AND ');
      update = this.db.prepare<[Values]>(
        `UPDATE ${this.table} SET ${columns.map((column) => `${column} = @${column}`).join(', ')} WHERE ${where}`,
      );
      this.updates.set(id, update);
    }
    return update;
  }
}

/**
 * Within a batch (one transaction) each row is read once and written once, at `flush`, however many
 * of the batch's events touch it: a rebuild reads ~9 events per filing, and writing the row back
 * after every one of them was most of its time. The record as read is kept, so `flush` writes only
 * the columns that changed (see RecordTable).
 */
export class BatchRows<Row, R extends object> {
  private readonly stored = new Map<string, R | undefined>();
  private readonly rows = new Map<string, Row | undefined>();
  private readonly changed = new Set<string>();

  constructor(
    private readonly records: RecordTable<R>,
    private readonly toRow: (record: R) => Row,
    private readonly toRecord: (row: Row) => R,
    /** Called after a row is written, with what was stored before (undefined: nothing). */
    private readonly written?: (row: Row, before: R | undefined, after: R) => void,
  ) {}

  get(key: string): Row | undefined {
    if (!this.rows.has(key)) {
      const record = this.records.load(key);
      this.stored.set(key, record);
      this.rows.set(key, record && this.toRow(record));
    }
    return this.rows.get(key);
  }

  /** The rows read or set in this batch so far (not those of earlier batches never read in it). */
  cached(): Row[] {
    return [...this.rows.values()].filter((row): row is Row => row !== undefined);
  }

  set(key: string, row: Row): void {
    this.rows.set(key, row);
    this.changed.add(key);
  }

  flush(): void {
    for (const key of this.changed) {
      const row = this.rows.get(key);
      if (row === undefined) continue;
      const before = this.stored.get(key);
      const after = this.toRecord(row);
      if (this.records.write(before, after)) this.written?.(row, before, after);
    }
    this.discard();
  }

  discard(): void {
    this.stored.clear();
    this.rows.clear();
    this.changed.clear();
  }
}
