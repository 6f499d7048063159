import type { IcpConfig } from '../config/config';
import { openPgPool } from '../postgres/pg-pool';
import { PgSmsCodeStore } from '../postgres/pg-sms-code-store';
import { openSqliteSmsCodeStore, type SmsCodeStore } from './sms-code-store';

/** The SMS challenges a worker uses: PostgreSQL when DATABASE_URL is set, else `verification.sqlite`. */
export async function openSmsCodeStore(
  config: Pick<IcpConfig, 'dataDir' | 'database'>,
  pepper: Buffer,
): Promise<SmsCodeStore | PgSmsCodeStore> {
  if (!config.database) return openSqliteSmsCodeStore(config.dataDir, pepper);
  const pool = openPgPool(config.database.url, { max: 5, applicationName: 'icp-filing sms-codes' });
  try {
    return await PgSmsCodeStore.open(pool, pepper, { ownsPool: true });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
