import type { IcpConfig } from '../config/config';
import { PgOutbox } from '../postgres/pg-outbox';
import { openOnSharedPool } from '../postgres/pg-pool';
import { openOutbox, type Outbox, type OutboxFilter, type OutboxMessage, readOutbox } from './outbox';

type OutboxConfig = Pick<IcpConfig, 'dataDir' | 'database'>;

function openPgOutbox(url: string, now?: () => Date): Promise<PgOutbox> {
  return openOnSharedPool(url, (lease) => PgOutbox.open(lease.pool, { ...lease, now }));
}

/** The outbox a worker sends into: PostgreSQL when DATABASE_URL is set, else `outbox.sqlite` in dataDir. */
export async function openConfiguredOutbox(config: OutboxConfig, now?: () => Date): Promise<Outbox> {
  return config.database ? openPgOutbox(config.database.url, now) : openOutbox(config.dataDir, now);
}

/** What was sent, most recent first, from where the configuration keeps it; creates no file. */
export async function readConfiguredOutbox(
  config: OutboxConfig,
  filter: OutboxFilter = {},
): Promise<OutboxMessage[]> {
  if (!config.database) return readOutbox(config.dataDir, filter);
  const outbox = await openPgOutbox(config.database.url);
  try {
    return await outbox.list(filter);
  } finally {
    await outbox.close();
  }
}
