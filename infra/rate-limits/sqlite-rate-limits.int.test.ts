import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeRateLimitsContract } from '../../test/contracts/rate-limits.contract';
import { SqliteRateLimits } from './sqlite-rate-limits';

describeRateLimitsContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-rate-limits-'));
  const file = join(dir, 'api.sqlite');
  const opened = [new SqliteRateLimits(file)];
  return {
    limits: opened[0]!,
    another: async () => {
      const limits = new SqliteRateLimits(file);
      opened.push(limits);
      return limits;
    },
    storedKeys: async () => {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare<[], { limit_key: string }>('SELECT limit_key FROM rate_limit_counters')
          .all()
          .map((row) => row.limit_key);
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      await Promise.all(opened.map((limits) => limits.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
