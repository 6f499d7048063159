import { randomUUID } from 'node:crypto';
import { ErrorType, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describeEventLogContract } from '../../../test/contracts/event-log.contract';
import {
  EventLogUnavailableError,
  type EventToAppend,
  type RecordedEvent,
} from '../../../events/ports/event-log.port';
import { EsdbEventLog } from './esdb-event-log';
import { FakeEsdbServer } from '../../../test/support/esdb/esdb-fake-server';

// The real @kurrent/kurrentdb-client over real gRPC, against the in-process stand-in for the server (no
// KurrentDB runs here): checks how the adapter drives the client. The same suite against a real server:
// esdb-event-log.int.test.ts.
describeEventLogContract('KurrentDB client, in-process stand-in server (kurrentdb://)', async () => {
  const server = await FakeEsdbServer.start();
  return {
    log: new EsdbEventLog(server.urlWith('kurrentdb')),
    reopen: async () => new EsdbEventLog(server.urlWith('kurrentdb')),
    cleanup: () => server.stop(),
  };
});

describe('EsdbEventLog through the KurrentDB client, in-process stand-in server (esdb://)', () => {
  let server: FakeEsdbServer;
  let logs: EsdbEventLog[];
  const open = (): EsdbEventLog => {
    const log = new EsdbEventLog(server.url);
    logs.push(log);
    return log;
  };

  beforeEach(async () => {
    server = await FakeEsdbServer.start();
    logs = [];
  });
  afterEach(async () => {
    await Promise.all(logs.map((log) => log.close()));
    await server.stop();
  });

  it('numbers events 2c + 1 from the server’s own positions, each event of one append apart', async () => {
    const log = open();
    const result = await log.appendToStream('filing-a', [event('A'), event('B')], {
      expectedRevision: 'no_stream',
    });

    const stored = await log.readStream('filing-a');
    const onServer = [0, 1].map((revision) => server.positionOf('filing-a', revision) as bigint);
    expect(stored.map((recorded) => recorded.position)).toEqual(onServer.map((c) => 2 * Number(c) + 1));
    expect(result.position).toBe(stored[1]?.position);
    // The $ce- link the server writes after each event is not the head.
    expect(await log.headPosition()).toBe(result.position);
  });

  it('recognises its own append after the acknowledgement was lost', async () => {
    const log = open();
    const batch = [event('A'), event('B')];
    server.loseNextAcknowledgement = true;

    await expect(log.appendToStream('filing-a', batch, { expectedRevision: 'no_stream' })).rejects.toThrow(
      EventLogUnavailableError,
    );
    const retried = await log.appendToStream('filing-a', batch, { expectedRevision: 'no_stream' });

    expect(retried).toMatchObject({ nextExpectedRevision: 1, alreadyAppended: true });
    expect((await log.readStream('filing-a')).map((recorded) => recorded.id)).toEqual(batch.map((e) => e.id));
  });

  it('asks the leader when it re-reads after a lost acknowledgement, so a lagging follower cannot mislead it', async () => {
    // With the default nodePreference=leader the client asks for the leader on every read; reads sent
    // to followers are where the adapter's own requiresLeader must hold.
    const url = `${server.urlWith('kurrentdb')}&nodePreference=follower`;
    const log = new EsdbEventLog(url);
    logs.push(log);
    const batch = [event('A'), event('B')];
    server.followerStopsHere();
    server.loseNextAcknowledgement = true;
    await expect(log.appendToStream('filing-a', batch, { expectedRevision: 'no_stream' })).rejects.toThrow(
      EventLogUnavailableError,
    );
    const readsBefore = server.reads.length;

    const retried = await log.appendToStream('filing-a', batch, { expectedRevision: 'no_stream' });

    expect(retried).toMatchObject({ nextExpectedRevision: 1, alreadyAppended: true });
    const rereads = server.reads.slice(readsBefore);
    expect(rereads.length).toBeGreaterThan(0);
    expect(rereads).toEqual(rereads.map(() => ({ streamId: 'filing-a', requiresLeader: true })));
    // What a read that does not ask for the leader finds meanwhile: no stream at all.
    expect(await readWithoutLeader(url, 'filing-a')).toEqual([]);
  });

  it('reports another claim on the same slot id as already appended, so the caller compares content', async () => {
    const log = open();
    const slot = randomUUID();
    await log.appendToStream('allocator-gd', [{ ...event('NumberClaimed', { n: '1' }), id: slot }], {
      expectedRevision: 'no_stream',
    });

    // A writer that looked before the first claim landed; the server accepts its append as a no-op.
    const other = open();
    const result = await other.appendToStream(
      'allocator-gd',
      [{ ...event('NumberClaimed', { n: '2' }), id: slot }],
      { expectedRevision: 'no_stream' },
    );

    expect(result).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: true });
    expect((await log.readStream('allocator-gd')).map((recorded) => recorded.data)).toEqual([{ n: '1' }]);
  });

  it('says plainly when a read starts at a position this log never handed out', async () => {
    const log = open();
    const { position } = await log.appendToStream('filing-a', [event('A')], {
      expectedRevision: 'no_stream',
    });

    // e.g. a read-model checkpoint written while the embedded SQLite log was in use
    const error = await log.readAll({ fromPosition: position - 2 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/invalid position.*must be rebuilt/);
  });

  it('resubscribes after the connection drops, from the last event handled', async () => {
    const log = open();
    const delivered: RecordedEvent[] = [];
    const caughtUp: number[] = [];
    const errors: Error[] = [];
    const subscription = log.subscribeToAll({
      streamPrefix: 'filing-',
      onEvent: (recorded) => void delivered.push(recorded),
      onCaughtUp: (position) => caughtUp.push(position),
      onError: (error) => errors.push(error),
    });
    await log.appendToStream('filing-a', [event('A')], { expectedRevision: 'no_stream' });
    await waitFor(() => delivered.length === 1);

    server.dropSubscriptions();
    await log.appendToStream('filing-a', [event('B')], { expectedRevision: 0 });
    await log.appendToStream('filing-b', [event('C')], { expectedRevision: 'no_stream' });
    await waitFor(() => delivered.length === 3);
    await waitFor(() => (caughtUp.at(-1) ?? 0) >= (delivered[2]?.position ?? Infinity));
    await subscription.stop();

    expect(delivered.map((recorded) => recorded.type)).toEqual(['A', 'B', 'C']);
    expect(errors).toEqual([]);
  });

  it('advances the caught-up position past other streams’ events', async () => {
    const log = open();
    await log.appendToStream('filing-a', [event('A')], { expectedRevision: 'no_stream' });
    const caughtUp: number[] = [];
    const subscription = log.subscribeToAll({
      streamPrefix: 'filing-',
      onEvent: () => undefined,
      onCaughtUp: (position) => caughtUp.push(position),
    });
    await waitFor(() => caughtUp.length === 1);

    const other = await log.appendToStream('allocator-gd', [event('N')], { expectedRevision: 'no_stream' });
    await waitFor(() => caughtUp.length === 2);
    await subscription.stop();

    expect(caughtUp[1]).toBeGreaterThanOrEqual(other.position);
    // A restart from there starts after it: the caught-up position is one a read may start from.
    expect(await log.readAll({ fromPosition: caughtUp[1] })).toEqual([]);
    const next = await log.appendToStream('filing-a', [event('B')], { expectedRevision: 0 });
    expect((await log.readAll({ fromPosition: caughtUp[1] })).map((e) => e.position)).toEqual([
      next.position,
    ]);
  });
});

/** The stream's event ids as a read served by any node (no `requiresLeader`) finds them. */
async function readWithoutLeader(url: string, streamId: string): Promise<string[]> {
  const client = KurrentDBClient.connectionString(url);
  const ids: string[] = [];
  try {
    for await (const resolved of client.readStream(streamId)) ids.push(resolved.event?.id ?? '');
  } catch (error) {
    if ((error as { type?: unknown }).type !== ErrorType.STREAM_NOT_FOUND) throw error;
  } finally {
    await client.dispose();
  }
  return ids;
}

function event(type: string, data: Record<string, string> = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { filingId: 'f-1' } };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
