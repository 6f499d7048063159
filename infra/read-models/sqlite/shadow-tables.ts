import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type ProjectionDiff,
  type ProjectionName,
  RebuildInProgressError,
  type ReadModelProjections,
  type ReadModelRow,
  type TableDiff,
} from '../../../events/ports/read-models.port';
import { ProjectionWriter } from './projection-writer';
import {
  type TableSet,
  createTablesSql,
  liveTables,
  shadowName,
  shadowNamesLike,
  shadowTableSet,
} from '../read-model-tables';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A projection's shadow tables, filled from position 0 while the live tables keep serving, then
 * either swapped in (one transaction: drop live, rename shadow) or compared with the live ones
 * row by row and dropped. One rebuild per projection at a time, across processes.
 */
export class ShadowTables {
  readonly writer: ProjectionWriter;
  private finished = false;

  private constructor(
    private readonly db: Database.Database,
    readonly set: TableSet,
    projections: ReadModelProjections,
  ) {
    this.writer = new ProjectionWriter(db, set, projections);
  }

  static create(
    db: Database.Database,
    name: ProjectionName,
    projections: ReadModelProjections,
  ): ShadowTables {
    const tag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const set = shadowTableSet(name, tag);
    db.transaction(() => {
      const running = db
        .prepare<[string], { pid: number; started_at: string }>(
          'SELECT pid, started_at FROM projection_rebuilds WHERE name = ?',
        )
        .get(name);
      if (running && running.pid !== process.pid && processIsAlive(running.pid)) {
        throw new RebuildInProgressError(
          `projection ${name} is already being rebuilt by process ${running.pid} (since ${running.started_at})`,
        );
      }
      dropLeftovers(db, name);
      db.prepare(
        `INSERT OR REPLACE INTO projection_rebuilds (name, tag, pid, started_at) VALUES (?, ?, ?, ?)`,
      ).run(name, tag, process.pid, new Date().toISOString());
      db.exec(createTablesSql(set, 'sqlite'));
    }).immediate();
    return new ShadowTables(db, set, projections);
  }

  /**
   * Makes the shadow tables the live ones, with the shadow's checkpoint, in one transaction: readers
   * see either the old rows or the new ones, never a mix; a projector running elsewhere carries on
   * from the new checkpoint (its statements are re-prepared by SQLite after the schema change).
   */
  swapIn(): void {
    this.finish(() => {
      const checkpoint = this.writer.checkpoint();
      for (const live of liveTables(this.set.projection)) {
        this.db.exec(`DROP TABLE ${live}`);
        this.db.exec(`ALTER TABLE ${this.shadowOf(live)} RENAME TO ${live}`);
      }
      this.db
        .prepare(
          `INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        )
        .run(this.set.projection, checkpoint);
    });
  }

  /** Drops the shadow tables. */
  discard(): void {
    this.finish(() => {
      for (const live of liveTables(this.set.projection))
        this.db.exec(`DROP TABLE IF EXISTS ${this.shadowOf(live)}`);
    });
  }

  /** Compares live and shadow row by row (call inside a transaction that holds both still). */
  diff(limit: number): ProjectionDiff {
    let rows = 0;
    const tables = liveTables(this.set.projection).map((live): TableDiff => {
      const shadow = this.shadowOf(live);
      rows += this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${live}`).get()?.n ?? 0;
      const except = (from: string, minus: string) => `SELECT * FROM ${from} EXCEPT SELECT * FROM ${minus}`;
      const count = (sql: string) =>
        this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM (${sql})`).get()?.n ?? 0;
      const sample = (sql: string) =>
        this.db.prepare<[number], ReadModelRow>(`${sql} ORDER BY 1 LIMIT ?`).all(limit);
      return {
        table: live,
        onlyLive: sample(except(live, shadow)),
        onlyRebuilt: sample(except(shadow, live)),
        onlyLiveCount: count(except(live, shadow)),
        onlyRebuiltCount: count(except(shadow, live)),
      };
    });
    const identical = tables.every((table) => table.onlyLiveCount === 0 && table.onlyRebuiltCount === 0);
    return { projection: this.set.projection, identical, rows, tables };
  }

  private shadowOf(live: string): string {
    return this.set.tables[live] ?? shadowName(live, this.set.shadowTag ?? '');
  }

  private finish(work: () => void): void {
    if (this.finished) return;
    this.db
      .transaction(() => {
        work();
        this.db.prepare('DELETE FROM projection_checkpoints WHERE name = ?').run(this.set.checkpointKey);
        this.db
          .prepare('DELETE FROM projection_rebuilds WHERE name = ? AND tag = ?')
          .run(this.set.projection, this.set.shadowTag ?? '');
      })
      .immediate();
    this.finished = true;
  }
}

/** Shadow tables and checkpoints a crashed rebuild of `name` left behind. */
function dropLeftovers(db: Database.Database, name: ProjectionName): void {
  for (const live of liveTables(name)) {
    const leftovers = db
      .prepare<[string], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'",
      )
      .all(shadowNamesLike(live));
    for (const leftover of leftovers) db.exec(`DROP TABLE ${leftover.name}`);
  }
  db.prepare("DELETE FROM projection_checkpoints WHERE name LIKE ? ESCAPE '\\'").run(shadowNamesLike(name));
}
