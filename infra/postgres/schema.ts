import type { Pool } from 'pg';
import { inTransaction } from './pg-pool';

/** One step of a store's schema; steps are applied in order, once, and never edited once released. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/**
 * Brings one store's tables up to date: each host runs this at start-up, so it is idempotent and
 * serialised across hosts by a transaction-scoped advisory lock (concurrent `CREATE TABLE IF NOT
 * EXISTS` can still fail in PostgreSQL). Applied versions are recorded in `icp_schema_migrations`.
 */
export async function migrate(pool: Pool, store: string, migrations: readonly Migration[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('icp_schema_migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS icp_schema_migrations (
      store TEXT NOT NULL,
      version INTEGER NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (store, version)
    )`);
    const applied = await client.query<{ version: number }>(
      'SELECT version FROM icp_schema_migrations WHERE store = $1',
      [store],
    );
    const done = new Set(applied.rows.map((row) => row.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO icp_schema_migrations (store, version) VALUES ($1, $2)', [
        store,
        migration.version,
      ]);
    }
  });
}
