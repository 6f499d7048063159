import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv5 } from '../../../events/ids';
import { type EventToAppend, WrongExpectedRevisionError } from '../../../events/ports/event-log.port';
import { SqliteEventLog } from './sqlite-event-log';

const event = (streamId: string, revision: number): EventToAppend => ({
  id: uuidv5(`${streamId}:${revision}`),
  type: 'Happened',
  data: { revision },
  metadata: {},
});

describe('SqliteEventLog.appendToStreams', () => {
  let dir: string;
  let log: SqliteEventLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-append-to-streams-'));
    log = new SqliteEventLog(join(dir, 'events.sqlite'));
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends to several streams in order, a stream twice included', async () => {
    const results = await log.appendToStreams([
      { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' },
      { streamId: 'b', events: [event('b', 0), event('b', 1)], expectedRevision: 'no_stream' },
      { streamId: 'a', events: [event('a', 1)], expectedRevision: 0 },
    ]);
    expect(results.map((result) => result.nextExpectedRevision)).toEqual([0, 1, 1]);
    const all = await log.readAll();
    expect(all.map((recorded) => `${recorded.streamId}:${recorded.revision}`)).toEqual([
      'a:0',
      'b:0',
      'b:1',
      'a:1',
    ]);
  });

  it('writes nothing when one append finds its stream elsewhere', async () => {
    await log.appendToStream('b', [event('b', 0)], { expectedRevision: 'no_stream' });
    await expect(
      log.appendToStreams([
        { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' },
        {
          streamId: 'b',
          events: [{ ...event('b', 0), id: uuidv5('another b:0') }],
          expectedRevision: 'no_stream',
        },
      ]),
    ).rejects.toThrow(WrongExpectedRevisionError);
    expect(await log.readStream('a')).toEqual([]);
    expect(await log.headPosition()).toBe(1);
  });

  it('recognises a retried batch: nothing is written twice', async () => {
    const batch = [
      { streamId: 'a', events: [event('a', 0)], expectedRevision: 'no_stream' as const },
      { streamId: 'b', events: [event('b', 0)], expectedRevision: 'no_stream' as const },
    ];
    await log.appendToStreams(batch);
    const again = await log.appendToStreams(batch);
    expect(again.every((result) => result.alreadyAppended)).toBe(true);
    expect(await log.headPosition()).toBe(2);
  });
});
