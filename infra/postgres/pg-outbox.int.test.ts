import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOutboxContract } from '../../test/contracts/outbox.contract';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { openConfiguredOutbox, readConfiguredOutbox } from '../notify/open-outbox';
import { SqliteOutbox } from '../notify/outbox';
import { PgOutbox } from './pg-outbox';
import { endsPool, openPgPool } from './pg-pool';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Each instance has a pool of its own, as two worker hosts would; each test a database of its own. */
describeOutboxContract('postgres', async (now) => {
  const url = await cluster.newDatabase();
  const opened: PgOutbox[] = [];
  const open = async (clock?: () => Date): Promise<PgOutbox> => {
    const pool = openPgPool(url, { max: 8 });
    const outbox = await PgOutbox.open(pool, { ...endsPool(pool), now: clock });
    opened.push(outbox);
    return outbox;
  };
  return {
    outbox: await open(now),
    another: () => open(),
    cleanup: async () => {
      await Promise.all(opened.map((outbox) => outbox.close()));
    },
  };
});

describe('PgOutbox schema', () => {
  it('opens again and concurrently on the same database without failing (idempotent migrations)', async () => {
    const url = await cluster.newDatabase();
    const pools = Array.from({ length: 4 }, () => openPgPool(url, { max: 2 }));
    try {
      const opened = await Promise.all(pools.map((pool) => PgOutbox.open(pool, {})));
      expect(opened).toHaveLength(4);
      const versions = await pools[0]!.query('SELECT store, version FROM icp_schema_migrations');
      expect(versions.rows).toEqual([{ store: 'outbox', version: 1 }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

describe('the outbox a host opens', () => {
  it('is on PostgreSQL when DATABASE_URL is set (nothing written to the data directory), else outbox.sqlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-config-'));
    try {
      const database = { url: await cluster.newDatabase() };
      const shared = await openConfiguredOutbox({ dataDir, database });
      expect(shared).toBeInstanceOf(PgOutbox);
      await shared.sms.send({ to: '13800138000', sender: '12381', text: 'code 1', idempotencyKey: 'k1' });
      await shared.close();
      expect(readdirSync(dataDir)).toEqual([]);
      expect((await readConfiguredOutbox({ dataDir, database })).map((m) => m.text)).toEqual(['code 1']);
      expect(await readConfiguredOutbox({ dataDir, database }, { to: 'nobody' })).toEqual([]);

      expect(await readConfiguredOutbox({ dataDir })).toEqual([]);
      expect(readdirSync(dataDir)).toEqual([]);
      const local = await openConfiguredOutbox({ dataDir });
      expect(local).toBeInstanceOf(SqliteOutbox);
      await local.close();
      expect(readdirSync(dataDir)).toContain('outbox.sqlite');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to open on an unreachable database, with the password redacted', async () => {
    const url = cluster.url.replace('postgres@', 'postgres:hunter2@').replace(/:(\d+)\//, ':1/');
    const opening = openConfiguredOutbox({ dataDir: tmpdir(), database: { url } });
    await expect(opening).rejects.toThrow();
    await opening.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
  });
});
