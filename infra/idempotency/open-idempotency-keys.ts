import type { IcpConfig } from '../config/config';
import { PgIdempotencyKeys } from '../postgres/pg-idempotency-keys';
import { openPgPool } from '../postgres/pg-pool';
import { type IdempotencyKeys, openIdempotencyKeys } from './idempotency-keys';

/** The Idempotency-Keys a host uses: PostgreSQL when DATABASE_URL is set, else `api.sqlite` in dataDir. */
export async function openConfiguredIdempotencyKeys(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
): Promise<IdempotencyKeys | PgIdempotencyKeys> {
  if (!config.database) return openIdempotencyKeys(config.dataDir);
  const pool = openPgPool(config.database.url, { max: 5, applicationName: 'icp-filing idempotency-keys' });
  try {
    return await PgIdempotencyKeys.open(pool, { ownsPool: true });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
