import { Pool, type PoolClient } from 'pg';
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
    process.stderr.write(
      `postgres (${redactDatabaseUrl(url)}): idle connection lost: ${(error as Error).message}\n`,
    );
  });
  return pool;
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
