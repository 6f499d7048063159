import type { Pool } from 'pg';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionRebuild,
  type ProjectionTarget,
  type ReadModelProjections,
  type ReadModelStore,
} from '../../../events/ports/read-models.port';
import { inTransaction, noRelease, type PoolRelease } from '../../postgres/pg-pool';
import { liveTableSet } from '../read-model-tables';
import { SqlReadModelQueries } from '../sql-read-model-queries';
import { PgProjectionRebuild } from './pg-projection-rebuild';
import { PgProjectionWriter, lockTableSet } from './pg-projection-writer';
import { pgReadSql } from './pg-read-sql';
import { migrateReadModelSchema } from './pg-read-model.schema';

export interface PgReadModelStoreOptions extends PoolRelease {
  /** Where the rows live, free of credentials (a redacted DATABASE_URL). */
  readonly description: string;
}

/**
 * The read models on PostgreSQL, shared by every host on DATABASE_URL: the same tables, queries and
 * answers as SQLite's. Rows and a projection's checkpoint change in one transaction holding the
 * projection's advisory lock, so an event delivered twice (or to two projectors) is applied once.
 */
export class PgReadModelStore extends SqlReadModelQueries implements ReadModelStore {
  private readonly writers: Record<ProjectionName, PgProjectionWriter>;

  private constructor(
    private readonly pool: Pool,
    private readonly projections: ReadModelProjections,
    readonly description: string,
    private readonly release: () => Promise<void>,
  ) {
    super(pgReadSql(pool));
    this.writers = Object.fromEntries(
      PROJECTION_NAMES.map((name) => [name, new PgProjectionWriter(pool, liveTableSet(name), projections)]),
    ) as Record<ProjectionName, PgProjectionWriter>;
  }

  /** Creates (or recreates, on a schema version change) the tables; `close()` calls `release`. */
  static async open(
    pool: Pool,
    projections: ReadModelProjections,
    options: PgReadModelStoreOptions,
  ): Promise<PgReadModelStore> {
    await migrateReadModelSchema(pool, options.description);
    return new PgReadModelStore(pool, projections, options.description, options.release ?? noRelease);
  }

  live(name: ProjectionName): ProjectionTarget {
    return this.writers[name];
  }

  async lowestCheckpoint(): Promise<number> {
    const result = await this.pool.query<{ name: string; position: string }>(
      'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1)',
      [[...PROJECTION_NAMES]],
    );
    const positions = new Map(result.rows.map((row) => [row.name, Number(row.position)]));
    return Math.min(...PROJECTION_NAMES.map((name) => positions.get(name) ?? 0));
  }

  async reset(name: ProjectionName): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await lockTableSet(client, name);
      for (const table of Object.values(liveTableSet(name).tables))
        await client.query(`DELETE FROM ${table}`);
      await client.query('DELETE FROM projection_checkpoints WHERE name = $1', [name]);
    });
  }

  async openRebuild(name: ProjectionName): Promise<ProjectionRebuild> {
    return PgProjectionRebuild.open(this.pool, name, this.writers[name], this.projections);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
