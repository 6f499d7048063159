import { randomUUID } from 'node:crypto';
import {
  type EventLog,
  type EventToAppend,
  type Json,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
} from '../../events/ports/event-log.port';

export interface EventLogFixture {
  log: EventLog;
  /** A new instance on the same storage, as after a process restart. */
  reopen(): Promise<EventLog>;
  /** Removes the storage; every log the suite obtained has been closed by then. */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every EventLog backend must show. Tests use fresh stream names and filter readAll by a
 * unique prefix, so a shared server (EventStoreDB) can run them; positions are compared, never assumed.
 */
export function describeEventLogContract(backendName: string, open: () => Promise<EventLogFixture>): void {
  describe(`EventLog contract: ${backendName}`, () => {
    let fixture: EventLogFixture;
    let log: EventLog;
    let opened: EventLog[];
    let prefix: string;

    const reopen = async (): Promise<EventLog> => {
      const instance = await fixture.reopen();
      opened.push(instance);
      return instance;
    };
    const stream = (kind = 'filing'): string => `${prefix}${kind}-${randomUUID()}`;
    const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

    beforeEach(async () => {
      fixture = await open();
      log = fixture.log;
      opened = [log];
      prefix = `c${randomUUID().slice(0, 8)}-`;
    });

    afterEach(async () => {
      await Promise.all(opened.map((instance) => instance.close()));
      await fixture.cleanup();
    });

    describe('append', () => {
      it('creates a stream only with no_stream and reads its events back as appended', async () => {
        const id = stream();
        const events = [event('FilingSubmitted', { n: 1 }), event('PlatformReviewStarted', { n: 2 })];

        const wrong = await rejection(log.appendToStream(id, events, { expectedRevision: 0 }));
        expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
        expect(wrong).toMatchObject({ streamId: id, expected: 0, actual: undefined });
        expect(await log.readStream(id)).toEqual([]);

        const result = await log.appendToStream(id, events, { expectedRevision: 'no_stream' });

        expect(result).toMatchObject({ nextExpectedRevision: 1, alreadyAppended: false });
        const stored = await log.readStream(id);
        expect(stored).toEqual(
          events.map((appended, revision) => ({
            ...appended,
            streamId: id,
            revision,
            position: expect.any(Number),
            recordedAt: expect.any(String),
          })),
        );
        expect(stored[1]?.position).toBe(result.position);
        expect(Number.isNaN(Date.parse(stored[0]?.recordedAt ?? ''))).toBe(false);
        await expect(
          log.appendToStream(id, [event('Again')], { expectedRevision: 'no_stream' }),
        ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', expected: 'no_stream', actual: 1 });
      });

      it('rejects a wrong expected revision with the actual revision and writes nothing', async () => {
        const id = stream();
        await log.appendToStream(id, [event('A'), event('B'), event('C')], { expectedRevision: 'no_stream' });
        const before = await log.readAll({ streamPrefix: prefix });

        for (const expectedRevision of [0, 1, 3, 'no_stream'] as const) {
          const error = await rejection(
            log.appendToStream(id, [event('Late')], { expectedRevision: expectedRevision }),
          );
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId: id, expected: expectedRevision, actual: 2 });
        }

        expect(await log.readAll({ streamPrefix: prefix })).toEqual(before);
      });

      it('appends with expectedRevision any at the end of the stream', async () => {
        const id = stream();
        const first = await log.appendToStream(id, [event('A')], { expectedRevision: 'any' });
        const second = await log.appendToStream(id, [event('B'), event('C')], { expectedRevision: 'any' });

        expect(first.nextExpectedRevision).toBe(0);
        expect(second.nextExpectedRevision).toBe(2);
        expect((await log.readStream(id)).map((stored) => [stored.type, stored.revision])).toEqual([
          ['A', 0],
          ['B', 1],
          ['C', 2],
        ]);
      });

      it('treats a retried identical append (lost acknowledgement) as done, without duplicates', async () => {
        const id = stream();
        const batch = [event('A'), event('B')];
        const first = await log.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        const middle = [event('C')];
        const afterMiddle = await log.appendToStream(id, middle, { expectedRevision: 1 });
        const last = event('D');
        await log.appendToStream(id, [last], { expectedRevision: 2 });

        const retried = await log.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        const retriedMiddle = await log.appendToStream(id, middle, { expectedRevision: 1 });
        const restarted = await reopen();
        const retriedAfterRestart = await restarted.appendToStream(id, batch, {
          expectedRevision: 'no_stream',
        });

        expect(retried).toEqual({ ...first, alreadyAppended: true });
        expect(retriedMiddle).toEqual({ ...afterMiddle, alreadyAppended: true });
        expect(retriedAfterRestart).toEqual({ ...first, alreadyAppended: true });
        expect(ids(await restarted.readStream(id))).toEqual(ids([...batch, ...middle, last]));
      });

      it('rejects a retry whose ids differ from what is stored at that revision', async () => {
        const id = stream();
        const a = event('A');
        const b = event('B');
        await log.appendToStream(id, [a, b], { expectedRevision: 'no_stream' });

        for (const attempt of [[event('A')], [a, event('X')], [b, a], [a, b, event('C')]]) {
          await expect(
            log.appendToStream(id, attempt, { expectedRevision: 'no_stream' }),
          ).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            streamId: id,
            expected: 'no_stream',
            actual: 1,
          });
        }
        expect(ids(await log.readStream(id))).toEqual(ids([a, b]));
      });

      it('lets exactly one of two concurrent appenders with the same expected revision win', async () => {
        const id = stream();
        await log.appendToStream(id, [event('Start')], { expectedRevision: 'no_stream' });
        const other = await reopen();

        for (let round = 0; round < 5; round++) {
          const contenders = [event(`Left${round}`), event(`Right${round}`)];
          const outcomes = await Promise.allSettled([
            log.appendToStream(id, [contenders[0] as EventToAppend], { expectedRevision: round }),
            other.appendToStream(id, [contenders[1] as EventToAppend], { expectedRevision: round }),
          ]);

          const won = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
          expect(won).toHaveLength(1);
          const lost = outcomes.find((outcome) => outcome.status === 'rejected');
          expect(lost?.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect(lost?.reason).toMatchObject({ expected: round, actual: round + 1 });
          const stored = await log.readStream(id, { fromRevision: round + 1 });
          expect(ids(stored)).toEqual([contenders[won[0] as number]?.id]);
        }
      });
    });

    describe('read', () => {
      it('keeps order within a stream and commit order across streams', async () => {
        const left = stream();
        const right = stream();
        const appended: EventToAppend[] = [];
        const append = async (id: string, expectedRevision: number | 'no_stream', type: string) => {
          const added = event(type);
          appended.push(added);
          await log.appendToStream(id, [added], { expectedRevision });
        };
        await append(left, 'no_stream', 'L0');
        await append(right, 'no_stream', 'R0');
        await append(left, 0, 'L1');
        await append(right, 0, 'R1');
        await append(left, 1, 'L2');

        const all = await log.readAll({ streamPrefix: prefix });
        expect(ids(all)).toEqual(ids(appended));
        expect(all.map((stored) => stored.position)).toEqual(
          [...all.map((stored) => stored.position)].sort((x, y) => x - y),
        );
        expect(new Set(all.map((stored) => stored.position)).size).toBe(all.length);
        expect((await log.readStream(left)).map((stored) => [stored.type, stored.revision])).toEqual([
          ['L0', 0],
          ['L1', 1],
          ['L2', 2],
        ]);
        expect((await log.readStream(left, { fromRevision: 1, maxCount: 1 })).map((e) => e.type)).toEqual([
          'L1',
        ]);
        expect(await log.readStream(stream())).toEqual([]);
      });

      it('reads all from a position, filtered by stream prefix and bounded by maxCount', async () => {
        const filingA = stream('filing');
        const allocator = stream('allocator');
        const filingB = stream('filing');
        await log.appendToStream(filingA, [event('F1')], { expectedRevision: 'no_stream' });
        await log.appendToStream(allocator, [event('N1')], { expectedRevision: 'no_stream' });
        await log.appendToStream(filingB, [event('F2')], { expectedRevision: 'no_stream' });
        await log.appendToStream(filingA, [event('F3')], { expectedRevision: 0 });

        const filings = await log.readAll({ streamPrefix: `${prefix}filing-` });
        expect(filings.map((stored) => stored.type)).toEqual(['F1', 'F2', 'F3']);

        const afterFirst = await log.readAll({
          streamPrefix: `${prefix}filing-`,
          fromPosition: filings[0]?.position,
        });
        expect(afterFirst.map((stored) => stored.type)).toEqual(['F2', 'F3']);

        const one = await log.readAll({
          streamPrefix: prefix,
          fromPosition: filings[0]?.position,
          maxCount: 1,
        });
        expect(one.map((stored) => stored.type)).toEqual(['N1']);

        const everything = await log.readAll({ streamPrefix: prefix });
        const fromLast = await log.readAll({
          streamPrefix: prefix,
          fromPosition: everything.at(-1)?.position,
        });
        expect(fromLast).toEqual([]);
      });
    });

    describe('head', () => {
      it('headPosition is the position of the last event appended anywhere in the log', async () => {
        await log.appendToStream(stream(), [event('First')], { expectedRevision: 'no_stream' });
        const before = await log.headPosition();
        const result = await log.appendToStream(stream('other'), [event('A'), event('B')], {
          expectedRevision: 'no_stream',
        });

        const head = await log.headPosition();
        expect(head).toBe(result.position);
        expect(head).toBeGreaterThan(before);
        const tail = await log.readAll({ fromPosition: head });
        expect(tail).toEqual([]);
      });
    });

    describe('data', () => {
      it('round-trips a large event (~1 MB of data)', async () => {
        const id = stream();
        // Just under EventStoreDB's default 1 MiB append limit, which counts data and metadata together.
        const text = 'ICP备案'.repeat(40_000) + 'x'.repeat(600_000);
        const large = event('Large', { text, items: Array.from({ length: 1_000 }, (_, n) => ({ n })) });

        await log.appendToStream(id, [large], { expectedRevision: 'no_stream' });

        const [stored] = await log.readStream(id);
        expect(stored?.data).toEqual(large.data);
        expect((await log.readAll({ streamPrefix: prefix }))[0]?.data).toEqual(large.data);
      });

      it('round-trips Chinese text, emoji, control characters and non-ASCII stream ids', async () => {
        const id = `${prefix}粤-filing-${randomUUID()}`;
        const data = {
          operator: '深圳市腾讯计算机系统有限公司',
          number: '粤ICP备2026000123号-1A',
          emoji: '✅📱🇨🇳👩🏽‍💻',
          combining: 'é',
          controls: 'nul\u0000tab\tline\u2028end',
          '键🔑': ['值', { 嵌套: true }],
        };
        const metadata = { actor: { role: 'bureau', id: '广东省通信管理局' }, note: '𠀀𪚥' };

        await log.appendToStream(id, [event('FilingSubmitted', data, metadata)], {
          expectedRevision: 'no_stream',
        });

        const [stored] = await log.readStream(id);
        expect(stored).toMatchObject({ streamId: id, data, metadata });
        expect(
          await reopen().then((restarted) => restarted.readAll({ streamPrefix: `${prefix}粤` })),
        ).toEqual([stored]);
      });

      // A lone surrogate has no UTF-8 form: storing it would silently change it (U+FFFD) somewhere.
      it('rejects text with an unpaired surrogate, from any JSON source, and writes nothing', async () => {
        const id = stream();
        const fromJsonEscapes = JSON.parse('{"name":"\\uD800 abc","ok":"\\uD83D\\uDE00"}') as Json;
        const attempts: EventToAppend[] = [
          event('Bad', fromJsonEscapes),
          event('Bad', { nested: ['fine', { low: 'x\uDC00' }] }),
          event('Bad', {}, { ['key\uD800']: 1 }),
          event('Bad\uD800'),
        ];

        for (const attempt of attempts) {
          await expect(
            log.appendToStream(id, [event('Fine'), attempt], { expectedRevision: 'no_stream' }),
          ).rejects.toThrow(/unpaired (UTF-16 )?surrogate/i);
        }
        await expect(
          log.appendToStream(`${prefix}bad-\uDFFF`, [event('Fine')], { expectedRevision: 'no_stream' }),
        ).rejects.toThrow(/unpaired (UTF-16 )?surrogate/i);
        expect(await log.readAll({ streamPrefix: prefix })).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers stored events after fromPosition, reports caught up, then delivers live ones in order', async () => {
        const id = stream();
        const stored = [event('S1'), event('S2'), event('S3')];
        await log.appendToStream(id, stored, { expectedRevision: 'no_stream' });
        const [first] = await log.readStream(id);
        const recorder = record(log, { streamPrefix: prefix, fromPosition: first?.position });

        await waitFor(() => recorder.caughtUp.length > 0, 'caught up after the stored events');
        expect(ids(recorder.events)).toEqual(ids(stored.slice(1)));
        expect(recorder.caughtUp[0]).toBeGreaterThanOrEqual(recorder.events.at(-1)?.position ?? Infinity);

        const live = [event('L1'), event('L2')];
        await log.appendToStream(id, [live[0] as EventToAppend], { expectedRevision: 2 });
        await log.appendToStream(stream('other'), [event('Elsewhere')], { expectedRevision: 'no_stream' });
        await log.appendToStream(id, [live[1] as EventToAppend], { expectedRevision: 3 });
        await waitFor(() => recorder.events.length === 5, 'the live events');
        await recorder.subscription.stop();

        expect(recorder.events.map((delivered) => delivered.type)).toEqual([
          'S2',
          'S3',
          'L1',
          'Elsewhere',
          'L2',
        ]);
        expect(recorder.events.slice(2).map((delivered) => delivered.revision)).toEqual([3, 0, 4]);
        expect(recorder.errors).toEqual([]);
      });

      it('resumes after a restart from its checkpoint with no gap and no duplicate', async () => {
        const id = stream();
        const all = Array.from({ length: 6 }, (_, n) => event(`E${n}`));
        await log.appendToStream(id, all.slice(0, 4), { expectedRevision: 'no_stream' });
        const delivered: RecordedEvent[] = [];
        let checkpoint = 0;
        const before = record(log, {
          streamPrefix: prefix,
          onEvent: (recorded) => {
            delivered.push(recorded);
            checkpoint = recorded.position;
          },
        });
        await waitFor(() => delivered.length >= 2, 'the first events');
        await before.subscription.stop();
        const deliveredBeforeRestart = delivered.length;
        await log.close();

        const restarted = await reopen();
        await restarted.appendToStream(id, all.slice(4), { expectedRevision: 3 });
        const after = record(restarted, {
          streamPrefix: prefix,
          fromPosition: checkpoint,
          onEvent: (recorded) => {
            delivered.push(recorded);
          },
        });
        await waitFor(() => delivered.length >= all.length, 'every event across the restart');
        await after.subscription.stop();

        expect(deliveredBeforeRestart).toBeGreaterThanOrEqual(2);
        expect(ids(delivered)).toEqual(ids(all));
      });

      it('stop() waits for the event being handled, and nothing is delivered afterwards', async () => {
        const id = stream();
        await log.appendToStream(id, [event('A'), event('B')], { expectedRevision: 'no_stream' });
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const handled: string[] = [];
        const recorder = record(log, {
          streamPrefix: prefix,
          onEvent: async (recorded) => {
            if (recorded.type === 'A') await gate;
            handled.push(recorded.type);
          },
        });
        await waitFor(() => recorder.events.length === 1, 'A to be in its handler');

        let stopped = false;
        const stopping = recorder.subscription.stop().then(() => (stopped = true));
        await pause(100);
        expect(stopped).toBe(false);
        release();
        await stopping;
        expect(handled).toEqual(['A']);

        await log.appendToStream(id, [event('C')], { expectedRevision: 1 });
        await pause(500);
        expect(recorder.events.map((delivered) => delivered.type)).toEqual(['A']);
      });

      it('stop() called from inside the handler ends delivery without deadlock', async () => {
        const id = stream();
        await log.appendToStream(id, [event('A'), event('B'), event('C')], { expectedRevision: 'no_stream' });
        let stoppedFromHandler = false;
        const subscription: Subscription = log.subscribeToAll({
          streamPrefix: prefix,
          onEvent: async (recorded) => {
            if (recorded.type !== 'B') return;
            await subscription.stop();
            stoppedFromHandler = true;
          },
        });

        await waitFor(() => stoppedFromHandler, 'stop() inside the handler to resolve');
        await subscription.stop();
      });

      it('stops and reports onError when the handler throws, delivering nothing after it', async () => {
        const id = stream();
        await log.appendToStream(id, [event('A'), event('Boom'), event('C')], {
          expectedRevision: 'no_stream',
        });
        const recorder = record(log, {
          streamPrefix: prefix,
          onEvent: (recorded) => {
            if (recorded.type === 'Boom') throw new Error('projection failed on Boom');
          },
        });

        await waitFor(() => recorder.errors.length > 0, 'onError');
        await log.appendToStream(id, [event('D')], { expectedRevision: 2 });
        await pause(500);
        await recorder.subscription.stop();

        expect(recorder.errors.map((error) => error.message)).toEqual(['projection failed on Boom']);
        expect(recorder.events.map((delivered) => delivered.type)).toEqual(['A', 'Boom']);
      });
    });

    describe('lifecycle', () => {
      it('ping resolves while open; close is idempotent and stops subscriptions', async () => {
        await expect(log.ping()).resolves.toBeUndefined();
        const id = stream();
        const recorder = record(log, { streamPrefix: prefix });
        await waitFor(() => recorder.caughtUp.length > 0, 'caught up on an empty prefix');

        await log.close();
        await log.close();

        await expect(log.ping()).rejects.toThrow();
        const writer = await reopen();
        await writer.appendToStream(id, [event('AfterClose')], { expectedRevision: 'no_stream' });
        await pause(500);
        expect(recorder.events).toEqual([]);
        expect(recorder.errors).toEqual([]);
      });
    });
  });
}

function event(type: string, data: Json = {}, metadata: Json = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

interface Recorder {
  subscription: Subscription;
  events: RecordedEvent[];
  caughtUp: number[];
  errors: Error[];
}

function record(log: EventLog, options: Partial<SubscribeOptions>): Recorder {
  const recorder: Omit<Recorder, 'subscription'> = { events: [], caughtUp: [], errors: [] };
  const subscription = log.subscribeToAll({
    ...options,
    onEvent: async (recorded) => {
      recorder.events.push(recorded);
      await options.onEvent?.(recorded);
    },
    onCaughtUp: (position) => recorder.caughtUp.push(position),
    onError: (error) => recorder.errors.push(error),
  });
  return { ...recorder, subscription };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(10);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
