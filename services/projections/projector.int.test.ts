import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historiesByStatus, SERVICE_NUMBER } from '../../test/support/decider-spec';
import { EMPTY_STREAM, type StreamHead, sealFilingEvents } from '../../events/filing/envelope';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import type { FilingEvent } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { Json } from '../../events/ports/event-log.port';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { type RunningProjector, startProjector } from './projector';
import { personalDataOf, submittedEvent } from '../../test/support/projection-fixtures';
import { ReadModelStore } from './read-model.store';

/** The sample histories all issue SERVICE_NUMBER; distinct filings need distinct numbers. */
function withServiceNumber(event: FilingEvent, serviceNumber: string): FilingEvent {
  if (event.type === 'RegistrationNumberIssued') return { ...event, data: { ...event.data, serviceNumber } };
  if (event.type === 'RegistrationPublished') {
    return { ...event, data: { ...event.data, registrationNumber: serviceNumber } };
  }
  return event;
}

const EPOCH = Date.parse('2026-11-30T02:00:00.000Z');

describe('projector over a real SQLite event log', () => {
  let dir: string;
  let log: SqliteEventLog;
  let stores: ReadModelStore[];
  let projectors: RunningProjector[];
  const heads = new Map<string, StreamHead>();
  let clock = 0;

  /** Appends events to the filing's stream as the workflow would: sealed, hash-chained, one minute apart. */
  async function append(filingId: string, events: readonly FilingEvent[]): Promise<void> {
    const head = heads.get(filingId) ?? EMPTY_STREAM;
    for (const event of events) {
      clock += 1;
      const current = heads.get(filingId) ?? EMPTY_STREAM;
      const sealed = sealFilingEvents(current, [event], {
        filingId,
        occurredAt: new Date(EPOCH + clock * 60_000).toISOString(),
        actor: SYSTEM_ACTOR,
        correlationId: filingId,
        causationId: `test-${clock}`,
      });
      await log.appendToStream(
        filingStreamId(filingId),
        sealed.envelopes.map((envelope) => ({
          id: envelope.id,
          type: envelope.type,
          data: envelope.data as unknown as Json,
          metadata: envelope.metadata as unknown as Json,
        })),
        { expectedRevision: current.revision < 0 ? 'no_stream' : current.revision },
      );
      heads.set(filingId, sealed.head);
    }
    expect(heads.get(filingId)?.revision).toBe(head.revision + events.length);
  }

  function openStore(): ReadModelStore {
    const store = ReadModelStore.open(join(dir, 'data'));
    stores.push(store);
    return store;
  }

  function run(store: ReadModelStore, batchSize?: number): RunningProjector {
    const projector = startProjector({ eventLog: log, store, batchSize });
    projectors.push(projector);
    return projector;
  }

  /** Files `filingId` in `province` and drives it to `status` along the sample histories. */
  async function fileUpTo(
    filingId: string,
    status: keyof ReturnType<typeof historiesByStatus>,
    overrides: Parameters<typeof submittedEvent>[1] = {},
    serviceNumber = SERVICE_NUMBER,
  ): Promise<FilingEvent[]> {
    const events = historiesByStatus(submittedEvent(filingId, overrides))[status].map((event): FilingEvent =>
      withServiceNumber(event, serviceNumber),
    );
    await append(filingId, events);
    return events;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-projections-'));
    log = new SqliteEventLog(join(dir, 'data', 'events.sqlite'), { pollIntervalMs: 20 });
    stores = [];
    projectors = [];
    heads.clear();
    clock = 0;
  });

  afterEach(async () => {
    await Promise.all(projectors.map((projector) => projector.stop()));
    for (const store of stores) store.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds filing summaries, the bureau queue and the public registry from the log', async () => {
    await fileUpTo('f-a', 'completed');
    await fileUpTo('f-b', 'bureau_review');
    await fileUpTo('f-c', 'bureau_review');
    await append('f-c', [{ type: 'BureauReviewOverdue', data: { dueAt: '2026-12-28T16:00:00.000Z' } }]);
    await fileUpTo('f-d', 'platform_review', { platformId: 'alipay', province: '110000' });
    await fileUpTo('f-e', 'bureau_review', { province: '110000' });
    await log.appendToStream(
      'registry-subjects-440000-2026',
      [{ id: '6f1e3c1a-1b7c-4d62-9a57-8a4f1f1e2d33', type: 'X', data: {}, metadata: {} }],
      {
        expectedRevision: 'no_stream',
      },
    );

    const store = openStore();
    const projector = run(store, 4);
    await projector.caughtUp();

    expect(store.getFiling('f-a')).toMatchObject({
      status: 'completed',
      stage: 'closed',
      registrationNumber: '粤ICP备2026000123号-1A',
      operatorName: '深圳市示例账本科技有限公司',
      revision: 9,
    });
    expect(store.listFilings({ limit: 10 }).items.map((row) => row.filingId)).toEqual([
      'f-e',
      'f-d',
      'f-c',
      'f-b',
      'f-a',
    ]);
    expect(store.listFilings({ platformId: 'alipay', limit: 10 }).items.map((row) => row.filingId)).toEqual([
      'f-d',
    ]);
    expect(store.listFilings({ province: '440000', stage: 'bureau_review', limit: 10 }).items).toHaveLength(
      2,
    );
    expect(store.listFilings({ status: 'completed', limit: 10 }).items.map((row) => row.filingId)).toEqual([
      'f-a',
    ]);

    const queue = store.bureauQueue({ province: '440000', limit: 10 }).items;
    expect(queue.map((row) => [row.filingId, row.overdue])).toEqual([
      ['f-c', true],
      ['f-b', false],
    ]);
    expect(store.bureauQueue({ province: '110000', limit: 10 }).items.map((row) => row.filingId)).toEqual([
      'f-e',
    ]);

    const record = {
      registrationNumber: '粤ICP备2026000123号-1A',
      appName: '示例记账',
      serviceType: 'app',
      operatorName: '深圳市示例账本科技有限公司',
      province: '440000',
      publishedAt: expect.any(String),
    };
    expect(store.findPublic({ number: '粤ICP备2026000123号-1A' })).toEqual([record]);
    expect(store.findPublic({ appName: '记账' })).toEqual([record]);
    expect(store.findPublic({ operatorName: '示例账本' })).toEqual([record]);
    expect(store.findPublic({ number: '粤ICP备2026000123号' })).toEqual([]);
    expect(store.findPublic({})).toEqual([]);
  });

  it('pages with opaque cursors without gaps or repeats', async () => {
    for (let index = 0; index < 7; index++) await fileUpTo(`f-${index}`, 'bureau_review');
    await append('f-5', [{ type: 'BureauReviewOverdue', data: { dueAt: 'x' } }]);
    const store = openStore();
    const projector = run(store);
    await projector.caughtUp();

    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.listFilings({ stage: 'bureau_review', limit: 3, cursor });
      listed.push(...page.items.map((row) => row.filingId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toEqual(['f-6', 'f-5', 'f-4', 'f-3', 'f-2', 'f-1', 'f-0']);

    const queued: string[] = [];
    do {
      const page = store.bureauQueue({ province: '440000', limit: 2, cursor });
      queued.push(...page.items.map((row) => row.filingId));
      cursor = page.nextCursor;
    } while (cursor);
    // All share one due date: overdue first, then by filing id.
    expect(queued).toEqual(['f-5', 'f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-6']);

    expect(() => store.listFilings({ limit: 3, cursor: 'not-a-cursor' })).toThrow('cursor');
    const queueCursor = store.bureauQueue({ province: '440000', limit: 1 }).nextCursor ?? '';
    expect(() => store.listFilings({ limit: 3, cursor: queueCursor })).toThrow('cursor');
    expect(() => store.listFilings({ limit: 0 })).toThrow(RangeError);
  });

  it('follows live appends and never double-applies across restarts', async () => {
    await fileUpTo('f-live', 'platform_review');
    const first = openStore();
    const projector = run(first);
    await projector.caughtUp();
    expect(first.getFiling('f-live')).toMatchObject({ status: 'platform_review', revision: 1 });

    await append('f-live', [
      { type: 'PlatformReviewApproved', data: {} },
      {
        type: 'SmsVerificationSent',
        data: { challengeId: 'c1', round: 1, expiresAt: '2026-12-02T03:00:00.000Z' },
      },
    ]);
    await projector.caughtUp();
    expect(first.getFiling('f-live')).toMatchObject({
      status: 'sms_verification',
      dueBy: '2026-12-02T03:00:00.000Z',
      revision: 3,
    });
    const checkpoint = first.checkpoint('filing_summary');
    await projector.stop();
    first.close();

    // A new process: same file, new store and projector, then the rest of the filing.
    const second = openStore();
    expect(second.checkpoint('filing_summary')).toBe(checkpoint);
    const restarted = run(second, 2);
    const rest = historiesByStatus(submittedEvent('f-live')).completed.slice(4);
    await append('f-live', rest);
    await fileUpTo('f-next', 'completed', { appName: '示例记账二号' }, '粤ICP备2026000123号-2A');
    await restarted.caughtUp();

    expect(second.getFiling('f-live')).toMatchObject({ status: 'completed', revision: 9 });
    expect(second.findPublic({ appName: '示例记账' }).map((row) => row.appName)).toEqual([
      '示例记账',
      '示例记账二号',
    ]);

    // Redelivering every event (at-least-once) changes nothing: the checkpoint covers them.
    const everything = await log.readAll();
    expect(second.applyBatch('filing_summary', everything)).toEqual({
      applied: 0,
      checkpoint: everything[everything.length - 1]?.position,
    });
    expect(second.applyBatch('public_registry', everything).applied).toBe(0);
    expect(second.getFiling('f-live')).toMatchObject({ status: 'completed', revision: 9 });
  });

  it('rebuilds the same rows from position 0', async () => {
    await fileUpTo('f-r1', 'completed');
    await fileUpTo('f-r2', 'rejected');
    await fileUpTo('f-r3', 'completed', { serviceType: 'mini_program' }, '粤ICP备2026000123号-1X');
    const store = openStore();
    const projector = run(store);
    await projector.caughtUp();
    await projector.stop();
    const before = {
      list: store.listFilings({ limit: 10 }),
      registry: store.findPublic({ appName: '记账' }),
    };

    store.reset('filing_summary');
    store.reset('public_registry');
    expect(store.listFilings({ limit: 10 }).items).toEqual([]);
    const replay = run(store, 3);
    await replay.caughtUp();
    expect({
      list: store.listFilings({ limit: 10 }),
      registry: store.findPublic({ appName: '记账' }),
    }).toEqual(before);
  });

  it('keeps personal data of the form out of every read model', async () => {
    await fileUpTo('f-p1', 'completed');
    await fileUpTo('f-p2', 'sms_verification');
    const store = openStore();
    const projector = run(store);
    await projector.caughtUp();
    const everything = JSON.stringify([
      store.listFilings({ limit: 10 }),
      store.findPublic({ appName: '记账' }),
    ]);
    const personal = personalDataOf(loadValidForm('valid-app'));
    expect(personal).toEqual(
      expect.arrayContaining(['440305198503120036', '13800138000', 'lisi@example.com']),
    );
    for (const value of personal) expect(everything).not.toContain(value);
    expect(everything).not.toContain('张三');
    expect(everything).not.toContain('李四');
  });

  it('stops and reports a history it cannot project', async () => {
    await fileUpTo('f-bad', 'submitted');
    await append('f-bad', [{ type: 'BureauReviewApproved', data: {} }]);
    const store = openStore();
    const errors: Error[] = [];
    const projector = startProjector({ eventLog: log, store, onError: (error) => errors.push(error) });
    projectors.push(projector);
    await expect(projector.caughtUp()).rejects.toThrow('cannot follow status submitted');
    expect(errors).toHaveLength(1);
    expect(store.getFiling('f-bad')).toBeUndefined();
  });

  it('writes nothing of a batch that fails part-way, and applies the same events afresh afterwards', async () => {
    await fileUpTo('f-retry', 'platform_review');
    await append('f-retry', [submittedEvent('f-retry')]); // a second submission: no projection follows it
    const events = await log.readAll();
    const good = events.slice(0, -1);
    const store = openStore();
    for (const name of ['filing_summary', 'bureau_queue', 'sla_dashboard'] as const) {
      const writer = store.liveWriter(name);
      // The bad event follows two good ones of the same filing, whose row the batch holds unwritten.
      expect(() => writer.applyBatch(events)).toThrow(/FilingSubmitted (twice|\(seq 2\) cannot follow)/);
      expect(writer.checkpoint()).toBe(0);
      // Nothing of the failed batch may linger: a lingering row would make FilingSubmitted "twice".
      expect(writer.applyBatch(good)).toEqual({ applied: good.length, checkpoint: good.at(-1)?.position });
    }
    expect(store.getFiling('f-retry')).toMatchObject({
      status: 'platform_review',
      revision: good.length - 1,
    });
  });
});
