import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import {
  type ProjectionDiff,
  type ProjectionName,
  type ProjectionRebuild,
  RebuildInProgressError,
  type ReadModelProjections,
  type ReadModelRow,
  type TableDiff,
} from '../../../events/ports/read-models.port';
import { createTablesSql, liveTables, shadowNamesLike, shadowTableSet } from '../read-model-tables';
import { PgProjectionWriter, lockTableSet, readCheckpoint, writeCheckpoint } from './pg-projection-writer';

/** Advisory-lock namespace of rebuilds: held (session lock) by the one connection rebuilding a projection. */
const REBUILD_LOCKS = 0x1c9_0002;

/**
 * The one connection a pool's rebuilds hold their session locks on: a rebuild of every projection
 * takes one connection, not one per projection (a pool of four would otherwise run dry). Its users
 * take turns on it, so the transactions of two rebuilds never interleave.
 */
class RebuildSession {
  private readonly held = new Set<ProjectionName>();
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    /** Use only inside `exclusive`. */
    readonly client: PoolClient,
    private readonly onClose: () => void,
  ) {}

  private static readonly ofPool = new WeakMap<Pool, Promise<RebuildSession>>();

  /** The pool's session, opened by its first user. */
  static async join(pool: Pool): Promise<RebuildSession> {
    for (;;) {
      let pending = RebuildSession.ofPool.get(pool);
      if (!pending) {
        pending = pool
          .connect()
          .then((client) => new RebuildSession(client, () => RebuildSession.ofPool.delete(pool)));
        RebuildSession.ofPool.set(pool, pending);
        pending.catch(() => RebuildSession.ofPool.delete(pool));
      }
      const session = await pending;
      if (!session.closed) return session;
    }
  }

  /** Runs `work` on the connection once the users before it are done. */
  exclusive<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const run = this.turn.then(() => work(this.client));
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Takes `name`'s rebuild lock on the connection (across hosts); false when someone holds it (then `leave(name, false)`). */
  async lock(name: ProjectionName): Promise<boolean> {
    // Session locks are re-entrant on one connection: a second rebuild of `name` here is refused here.
    if (this.held.has(name)) return false;
    this.held.add(name);
    const locked = await this.exclusive(async (client) => {
      const result = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [REBUILD_LOCKS, name],
      );
      return result.rows[0]?.locked === true;
    });
    return locked;
  }

  /** Gives `name`'s lock back (when `locked`); the last user closes the session. */
  async leave(name: ProjectionName, locked = true): Promise<void> {
    try {
      if (locked) await this.exclusive((client) => unlock(client, name));
    } finally {
      this.held.delete(name);
      if (this.held.size === 0 && !this.closed) {
        this.closed = true;
        this.onClose();
        this.client.release();
      }
    }
  }
}

/**
 * A projection rebuilt into shadow tables on PostgreSQL. One rebuild per projection across hosts: the
 * rebuild holds a session advisory lock (on its pool's rebuild session, see RebuildSession) until it
 * is swapped in or discarded (a host that dies drops its connection, and with it the lock). It
 * finishes in one transaction that holds both table sets' locks, so no projector moves the live rows
 * in between.
 */
export class PgProjectionRebuild implements ProjectionRebuild {
  private finished = false;

  private constructor(
    private readonly session: RebuildSession,
    readonly target: PgProjectionWriter,
    private readonly live: PgProjectionWriter,
  ) {}

  static async open(
    pool: Pool,
    name: ProjectionName,
    live: PgProjectionWriter,
    projections: ReadModelProjections,
  ): Promise<PgProjectionRebuild> {
    const session = await RebuildSession.join(pool);
    if (!(await session.lock(name))) {
      const error = await session.exclusive((client) => inProgress(client, name));
      await session.leave(name, false);
      throw error;
    }
    try {
      const tag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      const set = shadowTableSet(name, tag);
      await session.exclusive((client) =>
        inClientTransaction(client, async () => {
          await dropLeftovers(client, name);
          await client.query(
            `INSERT INTO projection_rebuilds (name, tag, pid, started_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET tag = EXCLUDED.tag, pid = EXCLUDED.pid, started_at = EXCLUDED.started_at`,
            [name, `${tag}@${hostname()}`, process.pid, new Date().toISOString()],
          );
          await client.query(createTablesSql(set, 'postgres'));
        }),
      );
      return new PgProjectionRebuild(session, new PgProjectionWriter(pool, set, projections), live);
    } catch (error) {
      await session.leave(name).catch(() => undefined);
      throw error;
    }
  }

  async swapInAt(tail: readonly RecordedEvent[], position: number): Promise<boolean> {
    const swapped = await this.atPosition(position, async () => {
      await this.catchUp(this.target, tail, position);
      const checkpoint = await readCheckpoint(this.client, this.target.set.checkpointKey);
      for (const live of liveTables(this.projection)) {
        await this.client.query(`DROP TABLE ${live}`);
        await this.client.query(`ALTER TABLE ${this.shadowOf(live)} RENAME TO ${live}`);
      }
      await writeCheckpoint(this.client, this.projection, checkpoint);
      await this.forgetShadow();
      return true;
    });
    if (swapped) await this.release();
    return swapped ?? false;
  }

  async compareAt(
    tail: readonly RecordedEvent[],
    position: number,
    sample: number,
  ): Promise<ProjectionDiff | undefined> {
    return this.atPosition(position, async () => {
      await this.catchUp(this.target, tail, position);
      await this.catchUp(this.live, tail, position);
      return this.diff(sample);
    });
  }

  async discard(): Promise<void> {
    if (this.finished) return;
    await this.session.exclusive(() =>
      inClientTransaction(this.client, async () => {
        for (const live of liveTables(this.projection))
          await this.client.query(`DROP TABLE IF EXISTS ${this.shadowOf(live)}`);
        await this.forgetShadow();
      }),
    );
    await this.release();
  }

  /** The session's connection: every use is inside a turn of `session.exclusive`. */
  private get client(): PoolClient {
    return this.session.client;
  }

  private get projection(): ProjectionName {
    return this.target.set.projection;
  }

  private shadowOf(live: string): string {
    const shadow = this.target.set.tables[live];
    if (shadow === undefined) throw new Error(`projection ${this.projection} has no table ${live}`);
    return shadow;
  }

  /** `work` in one transaction, unless a projector elsewhere has taken the live rows past `position`. */
  private async atPosition<T>(position: number, work: () => Promise<T>): Promise<T | undefined> {
    return this.session.exclusive(() =>
      inClientTransaction(this.client, async () => {
        await lockTableSet(this.client, this.target.set.checkpointKey);
        await lockTableSet(this.client, this.live.set.checkpointKey);
        for (const writer of [this.target, this.live]) {
          if ((await readCheckpoint(this.client, writer.set.checkpointKey)) > position) return undefined;
        }
        return work();
      }),
    );
  }

  private async catchUp(writer: PgProjectionWriter, tail: readonly RecordedEvent[], position: number) {
    await writer.applyIn(this.client, tail);
    await writer.advanceIn(this.client, position);
  }

  /** Compares live and shadow row by row (inside the transaction that holds both still). */
  private async diff(limit: number): Promise<ProjectionDiff> {
    let rows = 0;
    const tables: TableDiff[] = [];
    for (const live of liveTables(this.projection)) {
      const shadow = this.shadowOf(live);
      rows += await this.count(`SELECT * FROM ${live}`);
      const except = (from: string, minus: string) => `SELECT * FROM ${from} EXCEPT SELECT * FROM ${minus}`;
      const sample = async (sql: string) =>
        (await this.client.query<ReadModelRow>(`${sql} ORDER BY 1 LIMIT $1`, [limit])).rows;
      tables.push({
        table: live,
        onlyLive: await sample(except(live, shadow)),
        onlyRebuilt: await sample(except(shadow, live)),
        onlyLiveCount: await this.count(except(live, shadow)),
        onlyRebuiltCount: await this.count(except(shadow, live)),
      });
    }
    const identical = tables.every((table) => table.onlyLiveCount === 0 && table.onlyRebuiltCount === 0);
    return { projection: this.projection, identical, rows, tables };
  }

  private async count(sql: string): Promise<number> {
    const result = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) AS counted`);
    return Number(result.rows[0]?.n ?? 0);
  }

  private async forgetShadow(): Promise<void> {
    await this.client.query('DELETE FROM projection_checkpoints WHERE name = $1', [
      this.target.set.checkpointKey,
    ]);
    await this.client.query('DELETE FROM projection_rebuilds WHERE name = $1', [this.projection]);
  }

  private async release(): Promise<void> {
    this.finished = true;
    await this.session.leave(this.projection);
  }
}

async function unlock(client: PoolClient, name: ProjectionName): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [REBUILD_LOCKS, name]);
}

async function inProgress(client: PoolClient, name: ProjectionName): Promise<RebuildInProgressError> {
  const running = await client.query<{ tag: string; pid: number; started_at: string }>(
    'SELECT tag, pid, started_at FROM projection_rebuilds WHERE name = $1',
    [name],
  );
  const row = running.rows[0];
  const by = row
    ? ` by process ${row.pid} on ${row.tag.split('@')[1] ?? 'another host'} (since ${row.started_at})`
    : '';
  return new RebuildInProgressError(`projection ${name} is already being rebuilt${by}`);
}

/** Shadow tables and checkpoints a crashed rebuild of `name` left behind (its lock is ours now). */
async function dropLeftovers(client: PoolClient, name: ProjectionName): Promise<void> {
  for (const live of liveTables(name)) {
    const leftovers = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1 ESCAPE '\\'",
      [shadowNamesLike(live)],
    );
    for (const leftover of leftovers.rows) await client.query(`DROP TABLE ${leftover.tablename}`);
  }
  await client.query("DELETE FROM projection_checkpoints WHERE name LIKE $1 ESCAPE '\\'", [
    shadowNamesLike(name),
  ]);
}

/** `work` in one transaction on the rebuild's own connection. */
async function inClientTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
