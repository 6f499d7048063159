import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRateLimitsContract } from '../../test/contracts/rate-limits.contract';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { openConfiguredRateLimits } from '../rate-limits/open-rate-limits';
import { SqliteRateLimits } from '../rate-limits/sqlite-rate-limits';
import { endsPool, openPgPool } from './pg-pool';
import { PgRateLimits } from './pg-rate-limits';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Each instance has a pool of its own, as two API hosts would; each test a database of its own. */
describeRateLimitsContract('postgres', async () => {
  const url = await cluster.newDatabase();
  const opened: PgRateLimits[] = [];
  const open = async (): Promise<PgRateLimits> => {
    const pool = openPgPool(url, { max: 8 });
    const limits = await PgRateLimits.open(pool, endsPool(pool));
    opened.push(limits);
    return limits;
  };
  const reader = openPgPool(url, { max: 1 });
  return {
    limits: await open(),
    another: open,
    storedKeys: async () => {
      const result = await reader.query<{ limit_key: string }>('SELECT limit_key FROM rate_limit_counters');
      return result.rows.map((row) => row.limit_key);
    },
    cleanup: async () => {
      await Promise.all([...opened.map((limits) => limits.close()), reader.end()]);
    },
  };
});

describe('PgRateLimits schema', () => {
  it('opens again and concurrently on the same database without failing (idempotent migrations)', async () => {
    const url = await cluster.newDatabase();
    const pools = Array.from({ length: 4 }, () => openPgPool(url, { max: 2 }));
    try {
      const opened = await Promise.all(pools.map((pool) => PgRateLimits.open(pool, {})));
      expect(opened).toHaveLength(4);
      const versions = await pools[0]!.query('SELECT store, version FROM icp_schema_migrations');
      expect(versions.rows).toEqual([{ store: 'rate-limits', version: 1 }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

describe('the rate limits a host opens', () => {
  it('are on PostgreSQL when DATABASE_URL is set (nothing written to the data directory), else in api.sqlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-rate-limits-config-'));
    try {
      const shared = await openConfiguredRateLimits({
        dataDir,
        database: { url: await cluster.newDatabase() },
      });
      expect(shared).toBeInstanceOf(PgRateLimits);
      await shared.close();
      expect(readdirSync(dataDir)).toEqual([]);

      const local = await openConfiguredRateLimits({ dataDir });
      expect(local).toBeInstanceOf(SqliteRateLimits);
      await local.close();
      expect(readdirSync(dataDir)).toContain('api.sqlite');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
