import type { ComplianceStore } from '../../events/ports/compliance-store.port';
import type { IcpConfig } from '../config/config';
import { openOnSharedPool } from '../postgres/pg-pool';
import { PgComplianceStore } from './pg-compliance-store';
import { openSqliteComplianceStore } from './sqlite-compliance-store';

/** The inventories and sweeps a host uses: PostgreSQL when DATABASE_URL is set, else `compliance.sqlite`. */
export async function openConfiguredComplianceStore(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
): Promise<ComplianceStore> {
  if (!config.database) return openSqliteComplianceStore(config.dataDir);
  return openOnSharedPool(config.database.url, (lease) => PgComplianceStore.open(lease.pool, lease));
}
