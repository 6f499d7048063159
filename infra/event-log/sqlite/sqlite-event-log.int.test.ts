import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeEventLogContract } from '../../../test/contracts/event-log.contract';
import {
  EventLogUnavailableError,
  type EventToAppend,
  type Json,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import { INSERT_EVENT_SQL } from './event-rows';
import { SqliteEventLog } from './sqlite-event-log';
import { EventIdConflictError } from '../event-id-conflict-error';

describeEventLogContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-event-log-contract-'));
  const file = join(dir, 'events.sqlite');
  return {
    log: new SqliteEventLog(file),
    reopen: async () => new SqliteEventLog(file),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteEventLog', () => {
  let dir: string;
  let file: string;
  let logs: SqliteEventLog[];
  let children: ChildProcess[];

  const openLog = (options?: ConstructorParameters<typeof SqliteEventLog>[1]): SqliteEventLog => {
    const log = new SqliteEventLog(file, options);
    logs.push(log);
    return log;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-event-log-'));
    file = join(dir, 'events.sqlite');
    logs = [];
    children = [];
  });

  afterEach(async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await Promise.all(logs.map((log) => log.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('file', () => {
    it('is a WAL database with a versioned schema, described as sqlite:<file>', async () => {
      const log = openLog();
      expect(log.description).toBe(`sqlite:${file}`);
      await log.ping();

      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.pragma('user_version', { simple: true })).toBe(1);
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        const columns = raw
          .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')")
          .all();
        expect(columns.map((column) => column.name)).toEqual([
          'position',
          'stream_id',
          'revision',
          'id',
          'type',
          'data',
          'metadata',
          'recorded_at',
        ]);
      } finally {
        raw.close();
      }
    });

    it('refuses a file written by a newer schema version', () => {
      const raw = new Database(file);
      raw.pragma('user_version = 7');
      raw.close();

      expect(() => openLog()).toThrow(`event log sqlite:${file} has schema version 7, newer than this build`);
    });

    it('numbers positions from 1 in commit order', async () => {
      const log = openLog();
      const first = await log.appendToStream('filing-a', [event('A')], { expectedRevision: 'no_stream' });
      const second = await log.appendToStream('filing-b', [event('B'), event('C')], {
        expectedRevision: 'no_stream',
      });

      expect([first.position, second.position]).toEqual([1, 3]);
      expect((await log.readAll()).map((recorded) => recorded.position)).toEqual([1, 2, 3]);
      expect((await log.readAll({ fromPosition: 1, maxCount: 1 })).map((recorded) => recorded.type)).toEqual([
        'B',
      ]);
    });
  });

  describe('append', () => {
    it('with no events checks the expected revision and reports the stream as it is', async () => {
      const log = openLog();

      expect(await log.appendToStream('filing-new', [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1,
        position: 0,
        alreadyAppended: false,
      });
      const written = await log.appendToStream('filing-new', [event('A'), event('B')], {
        expectedRevision: 'no_stream',
      });
      expect(await log.appendToStream('filing-new', [], { expectedRevision: 1 })).toEqual(written);
      expect(await log.appendToStream('filing-new', [], { expectedRevision: 'any' })).toEqual(written);
      await expect(log.appendToStream('filing-new', [], { expectedRevision: 0 })).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        actual: 1,
      });
      expect(await log.readAll()).toHaveLength(2);
    });

    it('recognises a retried append made with expectedRevision any', async () => {
      const log = openLog();
      const batch = [event('A'), event('B')];
      const first = await log.appendToStream('allocator-44', batch, { expectedRevision: 'any' });
      await log.appendToStream('allocator-44', [event('C')], { expectedRevision: 'any' });

      expect(await log.appendToStream('allocator-44', batch, { expectedRevision: 'any' })).toEqual({
        ...first,
        alreadyAppended: true,
      });
      expect(await log.readStream('allocator-44')).toHaveLength(3);
    });

    it('refuses an event id already recorded in another stream or at another revision', async () => {
      const log = openLog();
      const taken = event('Taken');
      await log.appendToStream('filing-1', [taken, event('Next')], { expectedRevision: 'no_stream' });
      const before = await log.readAll();

      const elsewhere = await rejection(
        log.appendToStream('filing-2', [event('Fresh'), taken], { expectedRevision: 'no_stream' }),
      );
      expect(elsewhere).toBeInstanceOf(EventIdConflictError);
      expect(elsewhere).toMatchObject({
        eventId: taken.id,
        streamId: 'filing-2',
        revision: 1,
        existing: { streamId: 'filing-1', revision: 0 },
      });
      expect((elsewhere as Error).message).toBe(
        `stream filing-2: event id ${taken.id} cannot be appended at revision 1; ` +
          'it is already recorded in stream filing-1 at revision 0',
      );
      await expect(log.appendToStream('filing-1', [taken], { expectedRevision: 1 })).rejects.toMatchObject({
        name: 'EventIdConflictError',
        existing: { streamId: 'filing-1', revision: 0 },
      });
      await expect(
        log.appendToStream('filing-1', [{ ...taken, id: taken.id.toUpperCase() }], { expectedRevision: 1 }),
      ).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await log.readAll()).toEqual(before);
    });

    it('refuses input that would not round-trip, naming the offending field', async () => {
      const log = openLog();
      const invalid: [string, EventToAppend[], number | 'no_stream', RegExp][] = [
        [
          'filing-1',
          [{ ...event('A'), id: 'filing-1:0' }],
          'no_stream',
          /id must be a UUID, got "filing-1:0"/,
        ],
        ['filing-1', [event('A')], -1, /expectedRevision must be a revision/],
        ['filing-1', [event('A')], 1.5, /expectedRevision must be a revision/],
        ['', [event('A')], 'no_stream', /stream id must be a non-empty string/],
        ['filing-1', [event('')], 'no_stream', /type must be a non-empty string/],
        ['filing-1', [event('A', { at: new Date() } as unknown as Json)], 'no_stream', /data\.at is a Date/],
        ['filing-1', [event('A', { score: NaN })], 'no_stream', /data\.score is NaN/],
        ['filing-1', [event('A', [undefined] as unknown as Json)], 'no_stream', /data\[0\] is undefined/],
      ];
      const twice = event('Twice');
      invalid.push(['filing-1', [twice, twice], 'no_stream', /appears twice in one append/]);

      for (const [streamId, events, expectedRevision, message] of invalid) {
        await expect(log.appendToStream(streamId, events, { expectedRevision })).rejects.toThrow(message);
      }
      await expect(log.readAll({ maxCount: -1 })).rejects.toThrow('maxCount must be an integer ≥ 0');
      expect(await log.readAll()).toEqual([]);
    });
  });

  describe('across connections', () => {
    it('two instances on one file read and live-subscribe to each other’s appends', async () => {
      const left = openLog();
      const right = openLog();
      const delivered: RecordedEvent[] = [];
      let caughtUp = false;
      const subscription = right.subscribeToAll({
        onEvent: (recorded) => {
          delivered.push(recorded);
        },
        onCaughtUp: () => (caughtUp = true),
      });
      await waitFor(() => caughtUp);

      const written = event('FromLeft');
      await left.appendToStream('filing-x', [written], { expectedRevision: 'no_stream' });
      await right.appendToStream('filing-x', [event('FromRight')], { expectedRevision: 0 });

      expect((await left.readStream('filing-x')).map((recorded) => recorded.type)).toEqual([
        'FromLeft',
        'FromRight',
      ]);
      await waitFor(() => delivered.length === 2);
      await subscription.stop();
      expect(delivered.map((recorded) => recorded.type)).toEqual(['FromLeft', 'FromRight']);
    });

    it('delivers to a subscription what another process appends (by polling)', async () => {
      const log = openLog({ pollIntervalMs: 100 });
      const delivered: RecordedEvent[] = [];
      let caughtUp = false;
      const subscription = log.subscribeToAll({
        onEvent: (recorded) => {
          delivered.push(recorded);
        },
        onCaughtUp: () => (caughtUp = true),
      });
      await waitFor(() => caughtUp);

      const id = randomUUID();
      const child = await holdWriteLock(file, { holdMs: 0, insert: { streamId: 'filing-remote', id } });
      expect(await child.exited).toBe(0);

      await waitFor(() => delivered.length === 1);
      await subscription.stop();
      expect(delivered[0]).toMatchObject({
        id,
        streamId: 'filing-remote',
        revision: 0,
        type: 'WrittenElsewhere',
      });
    });

    it('waits without blocking while another process holds the write lock, then appends', async () => {
      const log = openLog();
      await log.appendToStream('filing-before', [event('Before')], { expectedRevision: 'no_stream' });
      const remoteId = randomUUID();
      const child = await holdWriteLock(file, {
        holdMs: 1_500,
        insert: { streamId: 'filing-contested', id: remoteId },
      });

      const settled: string[] = [];
      const ours = log
        .appendToStream('filing-ours', [event('Ours')], { expectedRevision: 'no_stream' })
        .finally(() => settled.push('append'));
      const contested = rejection(
        log.appendToStream('filing-contested', [event('Contested')], { expectedRevision: 'no_stream' }),
      );
      setTimeout(() => settled.push('timer'), 20);
      // WAL: readers see the last commit and are not held up by the writer.
      expect((await log.readAll()).map((recorded) => recorded.streamId)).toEqual(['filing-before']);

      const result = await ours;
      expect(settled).toEqual(['timer', 'append']);
      expect(await child.exited).toBe(0);
      expect(result).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: false });
      expect((await log.readAll()).map((recorded) => recorded.streamId)).toEqual([
        'filing-before',
        'filing-contested',
        'filing-ours',
      ]);
      // The revision is read under the lock, so the other process's commit is seen, not overwritten.
      const lost = await contested;
      expect(lost).toBeInstanceOf(WrongExpectedRevisionError);
      expect(lost).toMatchObject({ streamId: 'filing-contested', expected: 'no_stream', actual: 0 });
      expect((await log.readStream('filing-contested')).map((recorded) => recorded.id)).toEqual([remoteId]);
    });

    it('gives up with EventLogUnavailableError when the lock outlasts lockTimeoutMs; a retry succeeds', async () => {
      const log = openLog({ lockTimeoutMs: 200 });
      const child = await holdWriteLock(file, { holdMs: 1_000 });

      const error = await rejection(
        log.appendToStream('filing-1', [event('A')], { expectedRevision: 'no_stream' }),
      );
      expect(error).toBeInstanceOf(EventLogUnavailableError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^event log sqlite:${escape(file)} is locked by another connection; gave up after \\d+ ms, retry later$`,
        ),
      );
      expect(await child.exited).toBe(0);

      await log.appendToStream('filing-1', [event('A')], { expectedRevision: 'no_stream' });
      expect(await log.readStream('filing-1')).toHaveLength(1);
    });
  });

  describe('close', () => {
    it('stops subscriptions, after which every operation reports the log unavailable', async () => {
      const log = openLog();
      let caughtUp = false;
      const errors: Error[] = [];
      log.subscribeToAll({
        onEvent: () => undefined,
        onCaughtUp: () => (caughtUp = true),
        onError: (e) => errors.push(e),
      });
      await waitFor(() => caughtUp);

      await log.close();

      for (const operation of [
        log.ping(),
        log.readAll(),
        log.readStream('filing-1'),
        log.appendToStream('filing-1', [event('A')], { expectedRevision: 'no_stream' }),
      ]) {
        await expect(operation).rejects.toThrow(
          new EventLogUnavailableError(`event log sqlite:${file} is closed`),
        );
      }
      expect(() => log.subscribeToAll({ onEvent: () => undefined })).toThrow(EventLogUnavailableError);
      expect(errors).toEqual([]);
    });
  });

  /** Another process opens the file, takes the write lock, optionally writes one event, and holds it. */
  async function holdWriteLock(
    dbFile: string,
    options: { holdMs: number; insert?: { streamId: string; id: string } },
  ): Promise<{ exited: Promise<number | null> }> {
    const script = `
      const [file, driver, holdMs, insertSql, streamId, id] = process.argv.slice(1);
      const db = new (require(driver))(file);
      db.pragma('busy_timeout = 5000');
      db.exec('BEGIN IMMEDIATE');
      if (streamId) {
        db.prepare(insertSql).run({ stream_id: streamId, revision: 0, id, type: 'WrittenElsewhere',
          data: '{}', metadata: '{}', recorded_at: new Date().toISOString() });
      }
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(holdMs));
    `;
    const args = [dbFile, require.resolve('better-sqlite3'), String(options.holdMs), INSERT_EVENT_SQL];
    if (options.insert) args.push(options.insert.streamId, options.insert.id);
    const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString('utf8').includes('locked') && resolve());
      void exited.then((code) => reject(new Error(`lock holder exited ${code} before locking:\n${stderr}`)));
    });
    return { exited };
  }
});

function event(type: string, data: Json = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { filingId: 'f-1' } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
