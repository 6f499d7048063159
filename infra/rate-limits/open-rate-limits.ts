import type { IcpConfig } from '../config/config';
import { PgRateLimits } from '../postgres/pg-rate-limits';
import { openOnSharedPool } from '../postgres/pg-pool';
import { openRateLimits, type SqliteRateLimits } from './sqlite-rate-limits';

/** The rate-limit counters a host uses: PostgreSQL when DATABASE_URL is set, else `api.sqlite` in dataDir. */
export async function openConfiguredRateLimits(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
): Promise<SqliteRateLimits | PgRateLimits> {
  if (!config.database) return openRateLimits(config.dataDir);
  return openOnSharedPool(config.database.url, (lease) => PgRateLimits.open(lease.pool, lease));
}
