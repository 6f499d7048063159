import { Pool, type PoolClient } from 'pg';
import { processLogger } from '../logging/logger';
import { redactDatabaseUrl } from './database-url';

/** A connection pool on DATABASE_URL; `close()` ends it (waits for checked-out clients). */
export function openPgPool(url: string, options: { max?: number; applicationName?: string } = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'icp-filing',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (the server restarted, the network dropped) must not crash the process;
  // the pool drops that client and the next query opens another.
  pool.on('error', (error) => {
    processLogger()
      .child({ component: 'postgres' })
      .warn(`postgres (${redactDatabaseUrl(url)}): idle connection lost: ${(error as Error).message}`);
  });
  return pool;
}

/** What a PostgreSQL store does with its pool on `close()`: end it, release a lease, or nothing. */
export interface PoolRelease {
  readonly release?: () => Promise<void>;
}

export const noRelease = async (): Promise<void> => undefined;

/** `close()` ends `pool`: for a store that owns its pool (tests, one-off CLI reads). */
export function endsPool(pool: Pool): Required<PoolRelease> {
  return { release: () => (pool.ended ? Promise.resolve() : pool.end()) };
}

export interface PgPoolLease extends Required<PoolRelease> {
  readonly pool: Pool;
}

const sharedPools = new Map<string, { pool: Pool; leases: number }>();

/**
 * The process's one pool on `url`, shared by every store a host opens on DATABASE_URL (so a host holds
 * at most `max` connections however many stores it runs); the last lease released ends it.
 */
export function leaseSharedPgPool(url: string): PgPoolLease {
  let entry = sharedPools.get(url);
  if (!entry) {
    entry = { pool: openPgPool(url, { max: 10 }), leases: 0 };
    sharedPools.set(url, entry);
  }
  const held = entry;
  held.leases += 1;
  let released = false;
  return {
    pool: held.pool,
    release: async () => {
      if (released) return;
      released = true;
      held.leases -= 1;
      if (held.leases > 0) return;
      sharedPools.delete(url);
      await held.pool.end();
    },
  };
}

/** Opens a store on a lease of the shared pool; the lease is released if opening fails. */
export async function openOnSharedPool<T>(url: string, open: (lease: PgPoolLease) => Promise<T>): Promise<T> {
  const lease = leaseSharedPgPool(url);
  try {
    return await open(lease);
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if not. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
