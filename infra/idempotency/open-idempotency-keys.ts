import type { IcpConfig } from '../config/config';
import { PgIdempotencyKeys } from '../postgres/pg-idempotency-keys';
import { openOnSharedPool } from '../postgres/pg-pool';
import { type IdempotencyKeys, openIdempotencyKeys } from './idempotency-keys';

/** The Idempotency-Keys a host uses: PostgreSQL when DATABASE_URL is set, else `api.sqlite` in dataDir. */
export async function openConfiguredIdempotencyKeys(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
): Promise<IdempotencyKeys | PgIdempotencyKeys> {
  if (!config.database) return openIdempotencyKeys(config.dataDir);
  return openOnSharedPool(config.database.url, (lease) => PgIdempotencyKeys.open(lease.pool, lease));
}
