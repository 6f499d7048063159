import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEventLogContract } from '../../../test/contracts/event-log.contract';
import { type PostgresCluster, startPostgresCluster } from '../../../test/support/postgres-cluster';
import { uuidv5 } from '../../../events/ids';
import {
  EventLogUnavailableError,
  type EventToAppend,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import { endsPool, leaseSharedPgPool, openPgPool } from '../../postgres/pg-pool';
import { EventIdConflictError } from '../event-id-conflict-error';
import { openEventLog } from '../open-event-log';
import { PgEventLog, type PgEventLogOptions } from './pg-event-log';

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

/** A "host": a pool of its own and an adapter on it, as another process on another machine would have. */
function openHost(url: string, options: PgEventLogOptions = {}): PgEventLog {
  const pool = openPgPool(url, { max: 4 });
  return new PgEventLog(pool, url, { ...endsPool(pool), ...options });
}

describeEventLogContract('postgres', async () => {
  const url = await cluster.newDatabase();
  return {
    log: openHost(url),
    reopen: async () => openHost(url),
    cleanup: async () => undefined,
  };
});

describe('PgEventLog', () => {
  let url: string;
  let logs: PgEventLog[];

  const host = (options?: PgEventLogOptions): PgEventLog => {
    const log = openHost(url, options);
    logs.push(log);
    return log;
  };

  beforeEach(async () => {
    url = await cluster.newDatabase();
    logs = [];
  });

  afterEach(async () => {
    await Promise.all(logs.map((log) => log.close()));
  });

  it('gives concurrent appends from several hosts positions in commit order: a subscriber sees each event once, in order', async () => {
    const subscriber = host();
    const delivered: RecordedEvent[] = [];
    const errors: Error[] = [];
    // Subscribed before the appends start, so it reads while they commit (where a sequence would skip).
    const subscription = subscriber.subscribeToAll({
      onEvent: (recorded) => void delivered.push(recorded),
      onError: (error) => errors.push(error),
    });
    const hosts = [host(), host(), host(), host()];
    const appended: string[] = [];
    await Promise.all(
      hosts.flatMap((log, h) =>
        Array.from({ length: 6 }, async (_, s) => {
          const streamId = `filing-${h}-${s}`;
          for (let revision = 0; revision < 10; revision += 2) {
            const events = [event(streamId, revision), event(streamId, revision + 1)];
            appended.push(...events.map((e) => e.id));
            await log.appendToStream(streamId, events, {
              expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
            });
          }
        }),
      ),
    );
    await waitFor(() => delivered.length >= appended.length || errors.length > 0);
    await subscription.stop();

    expect(errors).toEqual([]);
    expect(delivered.map((recorded) => recorded.position)).toEqual(
      Array.from({ length: appended.length }, (_, index) => index + 1),
    );
    expect(new Set(delivered.map((recorded) => recorded.id))).toEqual(new Set(appended));
    expect(await subscriber.readAll()).toEqual(delivered);
    for (const streamId of new Set(delivered.map((recorded) => recorded.streamId))) {
      const revisions = delivered.filter((e) => e.streamId === streamId).map((e) => e.revision);
      expect(revisions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('refuses an event id already recorded in another stream or at another revision, as SQLite does', async () => {
    const log = host();
    const taken = event('filing-1', 0);
    await log.appendToStream('filing-1', [taken, event('filing-1', 1)], { expectedRevision: 'no_stream' });
    const before = await log.readAll();

    const elsewhere = await rejection(
      log.appendToStream('filing-2', [event('filing-2', 0), taken], { expectedRevision: 'no_stream' }),
    );
    expect(elsewhere).toBeInstanceOf(EventIdConflictError);
    expect((elsewhere as Error).message).toBe(
      `stream filing-2: event id ${taken.id} cannot be appended at revision 1; ` +
        'it is already recorded in stream filing-1 at revision 0',
    );
    await expect(
      log.appendToStream('filing-1', [{ ...taken, id: taken.id.toUpperCase() }], { expectedRevision: 1 }),
    ).rejects.toMatchObject({
      name: 'EventIdConflictError',
      existing: { streamId: 'filing-1', revision: 0 },
    });
    expect(await log.readAll()).toEqual(before);
  });

  it('recognises a retried append with expectedRevision any by its ids', async () => {
    const log = host();
    const batch = [event('allocator-44', 0), event('allocator-44', 1)];
    const first = await log.appendToStream('allocator-44', batch, { expectedRevision: 'any' });
    await log.appendToStream('allocator-44', [event('allocator-44', 2)], { expectedRevision: 'any' });

    expect(await log.appendToStream('allocator-44', batch, { expectedRevision: 'any' })).toEqual({
      ...first,
      alreadyAppended: true,
    });
    expect(await log.readStream('allocator-44')).toHaveLength(3);
  });

  it('refuses U+0000 where PostgreSQL keeps text (stream id, type), naming the field; stores it in data', async () => {
    const log = host();
    await expect(
      log.appendToStream('filing-\u0000', [event('x', 0)], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow('stream id "filing-\\u0000" contains U+0000');
    await expect(
      log.appendToStream('filing-1', [{ ...event('x', 0), type: 'A\u0000' }], {
        expectedRevision: 'no_stream',
      }),
    ).rejects.toThrow('stream filing-1, event #0: type contains U+0000');
    await expect(log.readAll({ streamPrefix: '\u0000' })).rejects.toThrow('streamPrefix contains U+0000');
    await log.appendToStream('filing-1', [{ ...event('x', 0), data: { nul: 'a\u0000b' } }], {
      expectedRevision: 'no_stream',
    });
    expect((await log.readStream('filing-1'))[0]?.data).toEqual({ nul: 'a\u0000b' });
  });

  it('appends in one round trip, however many events and streams', async () => {
    const pool = openPgPool(url, { max: 2 });
    const log = new PgEventLog(pool, url, endsPool(pool));
    logs.push(log);
    await log.ping();
    const queries = jest.spyOn(pool, 'query');

    await log.appendToStream('a', [event('a', 0), event('a', 1), event('a', 2)], {
      expectedRevision: 'no_stream',
    });
    await log.appendToStreams([
      { streamId: 'a', events: [event('a', 3)], expectedRevision: 2 },
      { streamId: 'b', events: [event('b', 0), event('b', 1)], expectedRevision: 'no_stream' },
    ]);

    expect(queries).toHaveBeenCalledTimes(2);
    expect(await log.headPosition()).toBe(6);
  });

  describe('appendToStreams', () => {
    it('appends to several streams in one transaction, in order, a stream twice included', async () => {
      const log = host();
      const results = await log.appendToStreams([
        { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' },
        { streamId: 'b', events: [event('b', 0), event('b', 1)], expectedRevision: 'no_stream' },
        { streamId: 'a', events: [event('a', 1)], expectedRevision: 0 },
        { streamId: 'c', events: [], expectedRevision: 'no_stream' },
      ]);
      expect(results).toEqual([
        { nextExpectedRevision: 0, position: 1, alreadyAppended: false },
        { nextExpectedRevision: 1, position: 3, alreadyAppended: false },
        { nextExpectedRevision: 1, position: 4, alreadyAppended: false },
        { nextExpectedRevision: -1, position: 0, alreadyAppended: false },
      ]);
      const all = await log.readAll();
      expect(all.map((recorded) => `${recorded.streamId}:${recorded.revision}`)).toEqual([
        'a:0',
        'b:0',
        'b:1',
        'a:1',
      ]);
    });

    it('writes nothing when one append finds its stream elsewhere, and names that stream', async () => {
      const log = host();
      await log.appendToStream('b', [event('b', 0)], { expectedRevision: 'no_stream' });
      const failed = await rejection(
        log.appendToStreams([
          { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' },
          { streamId: 'b', events: [event('another b', 0)], expectedRevision: 'no_stream' },
        ]),
      );
      expect(failed).toBeInstanceOf(WrongExpectedRevisionError);
      expect(failed).toMatchObject({ streamId: 'b', expected: 'no_stream', actual: 0 });
      expect(await log.readStream('a')).toEqual([]);
      expect(await log.headPosition()).toBe(1);
    });

    it('recognises a retried batch: nothing is written twice', async () => {
      const log = host();
      const batch = [
        { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' as const },
        { streamId: 'b', events: [event('b', 0)], expectedRevision: 'no_stream' as const },
      ];
      await log.appendToStreams(batch);
      const again = await host().appendToStreams(batch);
      expect(again.every((result) => result.alreadyAppended)).toBe(true);
      expect(await log.headPosition()).toBe(2);
    });
  });

  describe('subscriptions', () => {
    it('hear of another host’s append by NOTIFY, long before the next poll', async () => {
      const subscriber = host({ pollIntervalMs: 600_000 });
      const writer = host();
      const delivered: string[] = [];
      let caughtUp = 0;
      const subscription = subscriber.subscribeToAll({
        onEvent: (recorded) => void delivered.push(recorded.type),
        onCaughtUp: () => (caughtUp += 1),
      });
      await waitFor(() => caughtUp > 0);
      await writer.appendToStream('filing-1', [event('filing-1', 0)], { expectedRevision: 'no_stream' });
      await waitFor(() => delivered.length === 1);
      await subscription.stop();
      expect(delivered).toEqual(['Happened']);
    });

    it('keep delivering after the listening connection is cut, and the process keeps running', async () => {
      const subscriber = host({ pollIntervalMs: 200 });
      const writer = host();
      const delivered: RecordedEvent[] = [];
      const errors: Error[] = [];
      let caughtUp = 0;
      const subscription = subscriber.subscribeToAll({
        onEvent: (recorded) => void delivered.push(recorded),
        onCaughtUp: () => (caughtUp += 1),
        onError: (error) => errors.push(error),
      });
      await waitFor(() => caughtUp > 0);
      await terminateListeners(url);
      await writer.appendToStream('filing-1', [event('filing-1', 0)], { expectedRevision: 'no_stream' });
      await waitFor(() => delivered.length === 1);
      await terminateListeners(url);
      await writer.appendToStream('filing-1', [event('filing-1', 1)], { expectedRevision: 0 });
      await waitFor(() => delivered.length === 2);
      await subscription.stop();
      expect(delivered.map((recorded) => recorded.revision)).toEqual([0, 1]);
      expect(errors).toEqual([]);
    });
  });

  it('survives the server cutting its idle pooled connections: the next call opens another', async () => {
    const pool = openPgPool(url, { max: 2 });
    const log = new PgEventLog(pool, url, endsPool(pool));
    logs.push(log);
    await log.appendToStream('filing-1', [event('filing-1', 0)], { expectedRevision: 'no_stream' });
    expect(pool.idleCount).toBeGreaterThan(0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await withAdmin(url, (admin) =>
        admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'icp-filing'",
        ),
      );
      await waitFor(() => pool.idleCount === 0);
    } finally {
      stderr.mockRestore();
    }
    await log.appendToStream('filing-1', [event('filing-1', 1)], { expectedRevision: 0 });
    expect((await log.readStream('filing-1')).map((recorded) => recorded.revision)).toEqual([0, 1]);
  });

  describe('a server that cannot be reached', () => {
    const unreachable = (): string =>
      url.replace('postgres@', 'postgres:hunter2@').replace(/:(\d+)\//, ':1/');

    it('fails every call with EventLogUnavailableError, its URL redacted', async () => {
      const log = openHost(unreachable());
      logs.push(log);
      expect(log.description).not.toContain('hunter2');
      for (const call of [
        log.ping(),
        log.headPosition(),
        log.readAll(),
        log.readStream('filing-1'),
        log.appendToStream('filing-1', [event('filing-1', 0)], { expectedRevision: 'no_stream' }),
      ]) {
        const error = await rejection(call);
        expect(error).toBeInstanceOf(EventLogUnavailableError);
        expect((error as Error).message).toContain(`event log ${log.description} is unavailable`);
        expect((error as Error).message).not.toContain('hunter2');
      }
    });

    it('stops a subscription with onError (EventLogUnavailableError), never an unhandled rejection', async () => {
      const log = openHost(unreachable());
      logs.push(log);
      const errors: Error[] = [];
      const subscription = log.subscribeToAll({ onEvent: () => undefined, onError: (e) => errors.push(e) });
      await waitFor(() => errors.length > 0);
      await subscription.stop();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(EventLogUnavailableError);
    });
  });

  describe('opened from EVENT_STORE_URL', () => {
    it('is PgEventLog on the host’s shared pool (DATABASE_URL’s when equal), released on close', async () => {
      const withPassword = url.replace('postgres@', 'postgres:hunter2@');
      const databaseStores = leaseSharedPgPool(withPassword);
      try {
        const log = openEventLog(withPassword);
        expect(log).toBeInstanceOf(PgEventLog);
        expect(log.description).toBe(withPassword.replace('postgres:hunter2@', '***@'));
        await log.appendToStream('filing-1', [event('filing-1', 0)], { expectedRevision: 'no_stream' });
        expect(databaseStores.pool.totalCount).toBeGreaterThan(0);
        await log.close();
        expect(databaseStores.pool.ended).toBe(false);
        const head = await databaseStores.pool.query<{ position: string }>(
          'SELECT position FROM event_log_head',
        );
        expect(head.rows).toEqual([{ position: '1' }]);
      } finally {
        await databaseStores.release();
      }
      expect(databaseStores.pool.ended).toBe(true);
    });
  });
});

function event(streamId: string, revision: number): EventToAppend {
  return {
    id: uuidv5(`${streamId}:${revision}:${randomUUID()}`),
    type: 'Happened',
    data: { revision },
    metadata: {},
  };
}

async function withAdmin<T>(url: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Waits until the adapter listens (again, after a cut), then cuts every LISTEN connection, as a network
 * failure or a server restart would.
 */
async function terminateListeners(url: string): Promise<void> {
  const listener = "application_name = 'icp-filing event-log listener'";
  await withAdmin(url, async (admin) => {
    const listening = async (): Promise<boolean> => {
      const found = await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE ${listener} AND query LIKE 'LISTEN%'`,
      );
      return (found.rowCount ?? 0) > 0;
    };
    const deadline = Date.now() + 15_000;
    while (!(await listening())) {
      if (Date.now() > deadline) throw new Error('the adapter did not LISTEN within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${listener}`);
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
