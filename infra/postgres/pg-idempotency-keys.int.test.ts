import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIdempotencyKeysContract } from '../../test/contracts/idempotency-keys.contract';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { IdempotencyKeys } from '../idempotency/idempotency-keys';
import { openConfiguredIdempotencyKeys } from '../idempotency/open-idempotency-keys';
import { PgIdempotencyKeys } from './pg-idempotency-keys';
import { endsPool, openPgPool } from './pg-pool';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Each instance has a pool of its own, as two API hosts would; each test a database of its own. */
describeIdempotencyKeysContract('postgres', async () => {
  const url = await cluster.newDatabase();
  const opened: PgIdempotencyKeys[] = [];
  const open = async (): Promise<PgIdempotencyKeys> => {
    const pool = openPgPool(url, { max: 8 });
    const keys = await PgIdempotencyKeys.open(pool, endsPool(pool));
    opened.push(keys);
    return keys;
  };
  return {
    keys: await open(),
    another: open,
    cleanup: async () => {
      await Promise.all(opened.map((keys) => keys.close()));
    },
  };
});

describe('PgIdempotencyKeys schema', () => {
  it('opens again and concurrently on the same database without failing (idempotent migrations)', async () => {
    const url = await cluster.newDatabase();
    const pools = Array.from({ length: 4 }, () => openPgPool(url, { max: 2 }));
    try {
      const opened = await Promise.all(pools.map((pool) => PgIdempotencyKeys.open(pool, {})));
      expect(opened).toHaveLength(4);
      const versions = await pools[0]!.query('SELECT store, version FROM icp_schema_migrations');
      expect(versions.rows).toEqual([{ store: 'idempotency-keys', version: 1 }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

describe('the Idempotency-Keys a host opens', () => {
  it('are on PostgreSQL when DATABASE_URL is set (nothing written to the data directory), else in api.sqlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-keys-config-'));
    try {
      const shared = await openConfiguredIdempotencyKeys({
        dataDir,
        database: { url: await cluster.newDatabase() },
      });
      expect(shared).toBeInstanceOf(PgIdempotencyKeys);
      await shared.close();
      expect(readdirSync(dataDir)).toEqual([]);

      const local = await openConfiguredIdempotencyKeys({ dataDir });
      expect(local).toBeInstanceOf(IdempotencyKeys);
      await local.close();
      expect(readdirSync(dataDir)).toContain('api.sqlite');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuse to open on an unreachable database, with the password redacted', async () => {
    const url = cluster.url.replace('postgres@', 'postgres:hunter2@').replace(/:(\d+)\//, ':1/');
    const opening = openConfiguredIdempotencyKeys({ dataDir: tmpdir(), database: { url } });
    await expect(opening).rejects.toThrow();
    await opening.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
  });
});
