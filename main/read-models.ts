import type { ReadModelStore } from '../events/ports/read-models.port';
import type { WorkingDayCalendar } from '../events/working-days';
import type { IcpConfig } from '../infra/config/config';
import { redactDatabaseUrl } from '../infra/postgres/database-url';
import { openOnSharedPool } from '../infra/postgres/pg-pool';
import { PgReadModelStore } from '../infra/read-models/postgres/pg-read-model-store';
import { SqliteReadModelStore } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { readModelProjections } from '../services/projections/read-model-projections';

/** The read models in `<dataDir>/read-models.sqlite`, SLA working days counted on `calendar`. */
export function openReadModels(dataDir: string, calendar: WorkingDayCalendar): SqliteReadModelStore {
  return SqliteReadModelStore.open(dataDir, readModelProjections(calendar));
}

/**
 * The read models a host uses: on PostgreSQL (the host's shared pool) when DATABASE_URL is set, so
 * every host reads the same rows, else `<dataDir>/read-models.sqlite`.
 */
export async function openConfiguredReadModels(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
  calendar: WorkingDayCalendar,
): Promise<ReadModelStore> {
  if (!config.database) return openReadModels(config.dataDir, calendar);
  const description = `postgres ${redactDatabaseUrl(config.database.url)}`;
  return openOnSharedPool(config.database.url, (lease) =>
    PgReadModelStore.open(lease.pool, readModelProjections(calendar), { description, ...lease }),
  );
}
