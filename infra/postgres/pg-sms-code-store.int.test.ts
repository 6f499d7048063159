import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMS_VERIFICATION_WINDOW_MS } from '../../events/working-days/sla';
import { describeSmsCodeStoreContract } from '../../test/contracts/sms-code-store.contract';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { openSmsCodeStore } from '../verification/open-sms-code-store';
import { SmsCodeStore } from '../verification/sms-code-store';
import { endsPool, openPgPool } from './pg-pool';
import { PgSmsCodeStore } from './pg-sms-code-store';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Each instance has a pool of its own, as two worker hosts would; each test a database of its own. */
describeSmsCodeStoreContract('postgres', async (pepper) => {
  const url = await cluster.newDatabase();
  const opened: PgSmsCodeStore[] = [];
  const open = async (withPepper = pepper): Promise<PgSmsCodeStore> => {
    const pool = openPgPool(url, { max: 4 });
    try {
      const store = await PgSmsCodeStore.open(pool, withPepper, endsPool(pool));
      opened.push(store);
      return store;
    } catch (error) {
      await pool.end();
      throw error;
    }
  };
  return {
    store: await open(),
    another: open,
    openWithPepper: open,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});

describe('PgSmsCodeStore', () => {
  it('stores neither the code nor the ID characters in clear', async () => {
    const url = await cluster.newDatabase();
    const ownPool = openPgPool(url, { max: 2 });
    const store = await PgSmsCodeStore.open(ownPool, randomBytes(32), endsPool(ownPool));
    const pool = openPgPool(url, { max: 1 });
    try {
      const issued = await store.issue({
        challengeId: 'a',
        idLast6: '12345X',
        ttlMs: SMS_VERIFICATION_WINDOW_MS,
        now: new Date('2026-03-02T08:00:00.000Z'),
      });
      await store.markSent('a', { sendKey: issued.sendKey });
      const dump = await pool.query<{ row: string }>(
        'SELECT row_to_json(c)::text AS row FROM sms_challenge c',
      );
      expect(dump.rows).toHaveLength(1);
      const text = dump.rows[0]!.row;
      for (const secret of [issued.code ?? '', '12345X', '12345x']) expect(text).not.toContain(secret);
      const hex = text.toLowerCase();
      expect(hex).not.toContain(Buffer.from(issued.code ?? '').toString('hex'));
      expect(hex).not.toContain(Buffer.from('12345X').toString('hex').toLowerCase());
    } finally {
      await store.close();
      await pool.end();
    }
  });
});

describe('the SMS challenges a worker opens', () => {
  it('are on PostgreSQL when DATABASE_URL is set (nothing written to the data directory), else in verification.sqlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-sms-config-'));
    try {
      const shared = await openSmsCodeStore(
        { dataDir, database: { url: await cluster.newDatabase() } },
        randomBytes(32),
      );
      expect(shared).toBeInstanceOf(PgSmsCodeStore);
      await shared.close();
      expect(readdirSync(dataDir)).toEqual([]);

      const local = await openSmsCodeStore({ dataDir }, randomBytes(32));
      expect(local).toBeInstanceOf(SmsCodeStore);
      await local.close();
      expect(readdirSync(dataDir)).toContain('verification.sqlite');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuse to open on an unreachable database, with the password redacted', async () => {
    const url = cluster.url.replace('postgres@', 'postgres:hunter2@').replace(/:(\d+)\//, ':1/');
    const opening = openSmsCodeStore({ dataDir: tmpdir(), database: { url } }, randomBytes(32));
    await expect(opening).rejects.toThrow();
    await opening.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
  });
});
