import { randomUUID } from 'node:crypto';
import {
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import { appendWithRetryCheck, type StreamAccess } from './esdb-append';

/**
 * Answers appends the way EventStoreDB does (IndexWriter.CheckCommit): ids already at exactly the
 * expected revisions make a successful no-op, not a wrong expected version.
 */
class FakeServer implements StreamAccess {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly calls: string[] = [];
  private logPosition = 1_000;
  /** Runs between the adapter's first look and its append: another writer's move. */
  beforeAppend: (() => void) | undefined;

  async read(streamId: string, fromRevision: number, maxCount: number): Promise<RecordedEvent[]> {
    this.calls.push(`read ${fromRevision}+${maxCount}`);
    return (this.streams.get(streamId) ?? []).slice(fromRevision, fromRevision + maxCount);
  }

  async readLast(streamId: string, count: number): Promise<RecordedEvent[]> {
    this.calls.push(`readLast ${count}`);
    return (this.streams.get(streamId) ?? []).slice(-count);
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<{ nextExpectedRevision: number } | { wrongExpectedRevision: number | undefined }> {
    this.calls.push(`append ${String(expected)}`);
    this.beforeAppend?.();
    this.beforeAppend = undefined;
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    if (expected === 'any') return { nextExpectedRevision: this.write(streamId, events) };
    const after = expected === 'no_stream' ? -1 : expected;
    if (after < current) {
      const there = stream.slice(after + 1, after + 1 + events.length);
      const same = there.length === events.length && there.every((e, i) => e.id === events[i]?.id);
      if (same) return { nextExpectedRevision: after + events.length };
      return { wrongExpectedRevision: current };
    }
    if (after > current) return { wrongExpectedRevision: current < 0 ? undefined : current };
    return { nextExpectedRevision: this.write(streamId, events) };
  }

  write(streamId: string, events: readonly EventToAppend[]): number {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    for (const event of events) {
      this.logPosition += 137;
      stream.push({
        ...event,
        streamId,
        revision: stream.length,
        position: 2 * this.logPosition + 1,
        recordedAt: new Date().toISOString(),
      });
    }
    return stream.length - 1;
  }
}

function event(type: string, data: Record<string, string> = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { filingId: 'f-1' } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('appendWithRetryCheck', () => {
  let server: FakeServer;
  const stream = 'filing-f-1';

  beforeEach(() => {
    server = new FakeServer();
  });

  it('appends after looking at the slot, and reads the events back for their position', async () => {
    const batch = [event('A'), event('B')];

    const result = await appendWithRetryCheck(server, stream, batch, 'no_stream');

    const stored = server.streams.get(stream) ?? [];
    expect(result).toEqual({
      nextExpectedRevision: 1,
      position: stored[1]?.position,
      alreadyAppended: false,
    });
    expect(server.calls).toEqual(['read 0+2', 'append no_stream', 'read 0+2']);
  });

  it('recognises a retry after a lost acknowledgement without sending the events again', async () => {
    const batch = [event('A'), event('B')];
    const first = await appendWithRetryCheck(server, stream, batch, 'no_stream');
    await appendWithRetryCheck(server, stream, [event('C')], 1);
    server.calls.length = 0;

    const retried = await appendWithRetryCheck(server, stream, batch, 'no_stream');

    expect(retried).toEqual({ ...first, alreadyAppended: true });
    expect(server.calls).toEqual(['read 0+2']);
    expect(server.streams.get(stream)).toHaveLength(3);
  });

  it('refuses other events where the append would go, with the stream’s actual revision', async () => {
    const a = event('A');
    const b = event('B');
    await appendWithRetryCheck(server, stream, [a, b], 'no_stream');

    for (const attempt of [[event('A')], [a, event('X')], [b, a], [a, b, event('C')]]) {
      const error = await rejection(appendWithRetryCheck(server, stream, attempt, 'no_stream'));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1 });
    }
    expect(server.streams.get(stream)?.map((stored) => stored.id)).toEqual([a.id, b.id]);
  });

  it('passes on the server’s refusal when the stream is behind the expected revision', async () => {
    const missing = await rejection(appendWithRetryCheck(server, stream, [event('A')], 0));
    expect(missing).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 0, actual: undefined });

    await appendWithRetryCheck(server, stream, [event('A'), event('B'), event('C')], 'no_stream');
    const ahead = await rejection(appendWithRetryCheck(server, stream, [event('Late')], 3));
    expect(ahead).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 3, actual: 2 });
  });

  it('reports another writer’s event with the same id as not ours (the server accepted it as a no-op)', async () => {
    // Registration-number slots: the id names only the slot, so two claims share it.
    const mine = event('NumberClaimed', { number: '粤ICP备2026000123号' });
    const theirs = { ...mine, data: { number: '粤ICP备2026000124号' } };
    server.beforeAppend = () => server.write(stream, [theirs]);

    const result = await appendWithRetryCheck(server, stream, [mine], 'no_stream');

    expect(result).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: true });
    expect(server.streams.get(stream)?.map((stored) => stored.data)).toEqual([theirs.data]);
  });

  it('treats an identical concurrent attempt that got in first as the same append', async () => {
    const batch = [event('A')];
    server.beforeAppend = () => server.write(stream, batch);

    const result = await appendWithRetryCheck(server, stream, batch, 'no_stream');

    expect(result).toMatchObject({ nextExpectedRevision: 0 });
    expect(server.streams.get(stream)).toHaveLength(1);
  });

  it('still finds its events when the server answers a wrong expected revision', async () => {
    const batch = [event('A')];
    const refusing: StreamAccess = {
      read: (...args) => server.read(...args),
      readLast: (...args) => server.readLast(...args),
      append: async () => {
        server.write(stream, batch);
        return { wrongExpectedRevision: 0 };
      },
    };

    const result = await appendWithRetryCheck(refusing, stream, batch, 'no_stream');

    expect(result).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: true });
  });

  it('with expectedRevision any appends at the end, and recognises a retry at the end', async () => {
    await appendWithRetryCheck(server, stream, [event('A')], 'any');
    const batch = [event('B'), event('C')];
    const first = await appendWithRetryCheck(server, stream, batch, 'any');
    const retried = await appendWithRetryCheck(server, stream, batch, 'any');

    expect(first).toMatchObject({ nextExpectedRevision: 2, alreadyAppended: false });
    expect(retried).toEqual({ ...first, alreadyAppended: true });
    expect(server.streams.get(stream)).toHaveLength(3);
  });

  it('with no events only checks the expected revision, like the SQLite log', async () => {
    expect(await appendWithRetryCheck(server, stream, [], 'no_stream')).toEqual({
      nextExpectedRevision: -1,
      position: 0,
      alreadyAppended: false,
    });
    const written = await appendWithRetryCheck(server, stream, [event('A'), event('B')], 'no_stream');
    server.calls.length = 0;

    expect(await appendWithRetryCheck(server, stream, [], 1)).toEqual(written);
    expect(await appendWithRetryCheck(server, stream, [], 'any')).toEqual(written);
    await expect(appendWithRetryCheck(server, stream, [], 0)).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError',
      actual: 1,
    });
    await expect(appendWithRetryCheck(server, stream, [], 'no_stream')).rejects.toMatchObject({
      actual: 1,
    });
    expect(server.calls.every((call) => call.startsWith('readLast'))).toBe(true);
  });
});
