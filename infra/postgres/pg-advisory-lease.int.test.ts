import { Client } from 'pg';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { PgAdvisoryLease } from './pg-advisory-lease';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tries every `everyMs` until acquired, as a standby projector does; fails the test past `limitMs`. */
async function acquireWithin(lease: PgAdvisoryLease, limitMs: number, everyMs = 200): Promise<number> {
  const deadline = Date.now() + limitMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    if (await lease.tryAcquire().catch(() => false)) return attempts;
    if (Date.now() > deadline) throw new Error(`lease not acquired within ${limitMs} ms`);
    await pause(everyMs);
  }
}

/** Terminates the backends of the leases named `name` (application_name `icp-lease:<name>`) holding a lock. */
async function terminateHolder(url: string, name: string): Promise<number> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const result = await admin.query<{ pid: number }>(
      `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
      [`icp-lease:${name}`],
    );
    for (const { pid } of result.rows) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    return result.rows.length;
  } finally {
    await admin.end();
  }
}

describe('PgAdvisoryLease', () => {
  const leases: PgAdvisoryLease[] = [];
  const lease = (url: string, name: string): PgAdvisoryLease => {
    const created = new PgAdvisoryLease(url, { name, heartbeatMs: 500 });
    leases.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((held) => held.release()));
  });

  it('one holder at a time; when the holder’s connection is terminated it learns so and the other takes over', async () => {
    const url = await cluster.newDatabase();
    const first = lease(url, 'read-models');
    const second = lease(url, 'read-models');
    const lost: string[] = [];
    first.onLost((error) => lost.push(error.message));

    expect(await first.tryAcquire()).toBe(true);
    expect(await second.tryAcquire()).toBe(false);
    expect(await second.tryAcquire()).toBe(false);
    expect(await first.tryAcquire()).toBe(true);

    expect(await terminateHolder(url, 'read-models')).toBe(1);
    await acquireWithin(second, 30_000);

    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(/^PostgreSQL advisory lock "read-models" on postgres:\/\/.* lost: /);
    expect(await first.tryAcquire()).toBe(false);
  });

  it('release hands the lease over; another name is another lease', async () => {
    const url = await cluster.newDatabase();
    const first = lease(url, 'read-models');
    const second = lease(url, 'read-models');
    const other = lease(url, 'something-else');

    expect(await first.tryAcquire()).toBe(true);
    expect(await other.tryAcquire()).toBe(true);
    expect(await second.tryAcquire()).toBe(false);
    await first.release();
    expect(await second.tryAcquire()).toBe(true);
  });

  it('a database that cannot be reached rejects tryAcquire, naming no password', async () => {
    const url = await cluster.newDatabase();
    const unreachable = url.replace(
      /^postgres:\/\/postgres@127\.0\.0\.1:\d+/,
      'postgres://icp:s3cret@127.0.0.1:1',
    );
    const lonely = lease(unreachable, 'read-models');
    const message = await lonely.tryAcquire().then(
      () => 'acquired',
      (caught: Error) => caught.message,
    );
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('s3cret');
    expect(lonely.description).toBe(
      'PostgreSQL advisory lock "read-models" on ' + unreachable.replace('icp:s3cret', '***'),
    );
  });
});
