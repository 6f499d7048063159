import type { IcpConfig } from '../config/config';
import { openOnSharedPool } from '../postgres/pg-pool';
import { PgSmsCodeStore } from '../postgres/pg-sms-code-store';
import { openSqliteSmsCodeStore, type SmsCodeStore } from './sms-code-store';

/** The SMS challenges a worker uses: PostgreSQL when DATABASE_URL is set, else `verification.sqlite`. */
export async function openSmsCodeStore(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
  pepper: Buffer,
): Promise<SmsCodeStore | PgSmsCodeStore> {
  if (!config.database) return openSqliteSmsCodeStore(config.dataDir, pepper);
  return openOnSharedPool(config.database.url, (lease) => PgSmsCodeStore.open(lease.pool, pepper, lease));
}
