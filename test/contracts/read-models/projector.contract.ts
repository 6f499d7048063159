import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historiesByStatus, SERVICE_NUMBER } from '../../support/decider-spec';
import { EMPTY_STREAM, type StreamHead, sealFilingEvents } from '../../../events/filing/envelope';
import { SYSTEM_ACTOR } from '../../../events/filing/actor';
import type { FilingEvent } from '../../../events/filing/filing-events';
import { filingStreamId } from '../../../events/filing/stream-ids';
import type { Json } from '../../../events/ports/event-log.port';
import type { ReadModelStore } from '../../../events/ports/read-models.port';
import { subjectSequenceStreamId } from '../../../events/registry/registry-streams';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { type RunningProjector, startProjector } from '../../../services/projections/projector';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import { verifyProjection } from '../../../services/projections/rebuild';
import { loadValidForm } from '../../fixtures/forms/form-fixtures';
import { personalDataOf, submittedEvent } from '../../support/projection-fixtures';
import type { ReadModelsFixture } from '../read-models.contract';

/** The sample histories all issue SERVICE_NUMBER; distinct filings need distinct numbers. */
function withServiceNumber(event: FilingEvent, serviceNumber: string): FilingEvent {
  if (event.type === 'RegistrationNumberIssued') return { ...event, data: { ...event.data, serviceNumber } };
  if (event.type === 'RegistrationPublished') {
    return { ...event, data: { ...event.data, registrationNumber: serviceNumber } };
  }
  return event;
}

const EPOCH = Date.parse('2026-11-30T02:00:00.000Z');

/** The projector feeding a store from a real SQLite event log, and the store's queries over the rows. */
export function describeProjectorContract(
  backendName: string,
  openFixture: () => Promise<ReadModelsFixture>,
): void {
  describe(`ReadModelStore contract: ${backendName}: projector over a real SQLite event log`, () => {
    let dir: string;
    let fixture: ReadModelsFixture;
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

    async function openStore(): Promise<ReadModelStore> {
      const store = await fixture.open(readModelProjections(loadChineseCalendar()));
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
      const events = historiesByStatus(submittedEvent(filingId, overrides))[status].map(
        (event): FilingEvent => withServiceNumber(event, serviceNumber),
      );
      await append(filingId, events);
      return events;
    }

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'icp-projections-'));
      fixture = await openFixture();
      log = new SqliteEventLog(join(dir, 'data', 'events.sqlite'), { pollIntervalMs: 20 });
      stores = [];
      projectors = [];
      heads.clear();
      clock = 0;
    });

    afterEach(async () => {
      await Promise.all(projectors.map((projector) => projector.stop()));
      for (const store of stores) await store.close();
      await log.close();
      await fixture.cleanup();
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
        subjectSequenceStreamId('440000', 2026),
        [{ id: '6f1e3c1a-1b7c-4d62-9a57-8a4f1f1e2d33', type: 'X', data: {}, metadata: {} }],
        {
          expectedRevision: 'no_stream',
        },
      );

      const store = await openStore();
      const projector = run(store, 4);
      await projector.caughtUp();

      expect(await store.getFiling('f-a')).toMatchObject({
        status: 'completed',
        stage: 'closed',
        registrationNumber: '粤ICP备2026000123号-1A',
        operatorName: '深圳市示例账本科技有限公司',
        revision: 9,
      });
      expect((await store.listFilings({ limit: 10 })).items.map((row) => row.filingId)).toEqual([
        'f-e',
        'f-d',
        'f-c',
        'f-b',
        'f-a',
      ]);
      expect(
        (await store.listFilings({ platformId: 'alipay', limit: 10 })).items.map((row) => row.filingId),
      ).toEqual(['f-d']);
      expect(
        (await store.listFilings({ province: '440000', stage: 'bureau_review', limit: 10 })).items,
      ).toHaveLength(2);
      expect(
        (await store.listFilings({ status: 'completed', limit: 10 })).items.map((row) => row.filingId),
      ).toEqual(['f-a']);

      const queue = (await store.bureauQueue({ province: '440000', limit: 10 })).items;
      expect(queue.map((row) => [row.filingId, row.overdue])).toEqual([
        ['f-c', true],
        ['f-b', false],
      ]);
      expect(
        (await store.bureauQueue({ province: '110000', limit: 10 })).items.map((row) => row.filingId),
      ).toEqual(['f-e']);

      const record = {
        registrationNumber: '粤ICP备2026000123号-1A',
        appName: '示例记账',
        serviceType: 'app',
        operatorName: '深圳市示例账本科技有限公司',
        province: '440000',
        publishedAt: expect.any(String),
        status: 'active',
      };
      expect(await store.findPublic({ number: '粤ICP备2026000123号-1A' })).toEqual([record]);
      expect(await store.findPublic({ appName: '记账' })).toEqual([record]);
      expect(await store.findPublic({ operatorName: '示例账本' })).toEqual([record]);
      expect(await store.findPublic({ number: '粤ICP备2026000123号' })).toEqual([]);
      expect(await store.findPublic({})).toEqual([]);
    });

    it('keeps filing kinds: lists, the bureau queue and the SLA dashboard filter and break down by kind', async () => {
      const service = { subjectNumber: '粤ICP备2026000123号', serviceNumber: '粤ICP备2026000123号-1A' };
      await fileUpTo('f-k1', 'bureau_review');
      await fileUpTo('f-k2', 'bureau_review', {
        kind: 'change',
        target: { ...service, alters: { subject: false, service: true }, baseFilingId: 'f-k1' },
      });
      await fileUpTo('f-k3', 'platform_review', {
        kind: 'cancellation',
        target: { subjectNumber: service.subjectNumber },
      });
      await fileUpTo('f-k4', 'bureau_review', { kind: 'new_access', target: service });
      await append('f-k4', [{ type: 'BureauReviewOverdue', data: { dueAt: '2026-12-28T16:00:00.000Z' } }]);
      await fileUpTo('f-k5', 'rejected', { kind: 'change', target: service });
      const store = await openStore();
      const projector = run(store, 3);
      await projector.caughtUp();

      expect(await store.getFiling('f-k2')).toMatchObject({
        kind: 'change',
        targetSubjectNumber: service.subjectNumber,
        targetServiceNumber: service.serviceNumber,
        status: 'bureau_review',
      });
      expect(await store.getFiling('f-k1')).toMatchObject({ kind: 'new_registration' });
      expect(await store.getFiling('f-k1')).not.toHaveProperty('targetSubjectNumber');
      const cancellation = await store.getFiling('f-k3');
      expect(cancellation).toMatchObject({
        kind: 'cancellation',
        targetSubjectNumber: service.subjectNumber,
      });
      expect(cancellation).not.toHaveProperty('targetServiceNumber');

      const listed = async (query: Omit<Parameters<ReadModelStore['listFilings']>[0], 'limit'>) =>
        (await store.listFilings({ ...query, limit: 10 })).items.map((row) => row.filingId);
      expect(await listed({ kind: 'change' })).toEqual(['f-k5', 'f-k2']);
      expect(await listed({ kind: 'change', stage: 'bureau_review' })).toEqual(['f-k2']);
      expect(await listed({ kind: 'new_registration' })).toEqual(['f-k1']);

      const queue = (await store.bureauQueue({ province: '440000', limit: 10 })).items;
      expect(queue.map((row) => [row.filingId, row.kind, row.overdue])).toEqual([
        ['f-k4', 'new_access', true],
        ['f-k1', 'new_registration', false],
        ['f-k2', 'change', false],
      ]);
      expect(queue[2]).toMatchObject({
        status: 'bureau_review',
        targetSubjectNumber: service.subjectNumber,
        targetServiceNumber: service.serviceNumber,
      });
      const changes = await store.bureauQueue({ province: '440000', kind: 'change', limit: 10 });
      expect(changes.items.map((row) => row.filingId)).toEqual(['f-k2']);
      const first = await store.bureauQueue({ province: '440000', kind: 'new_access', limit: 1 });
      expect(first.items.map((row) => row.filingId)).toEqual(['f-k4']);
      expect(first.nextCursor).toBeUndefined();

      const dashboard = await store.slaDashboard({});
      expect(
        dashboard.byKind.map((figures) => [figures.kind, figures.filings, figures.open, figures.overdue]),
      ).toEqual([
        ['new_registration', 1, 1, 0],
        ['change', 2, 1, 0],
        ['cancellation', 1, 1, 0],
        ['new_access', 1, 1, 1],
      ]);
      const change = dashboard.byKind.find((figures) => figures.kind === 'change');
      expect(change?.stages.find((figures) => figures.stage === 'bureau_review')).toMatchObject({
        filings: 1,
      });
      expect(change?.stages.find((figures) => figures.stage === 'closed')).toMatchObject({ filings: 1 });
      expect(change?.stages.find((figures) => figures.stage === 'platform_review')?.finishedVisits).toBe(2);
      expect(
        change?.stages.find((figures) => figures.stage === 'platform_review')?.medianCalendarDays,
      ).not.toBeNull();
      const byKindTotal = dashboard.byKind.reduce((sum, figures) => sum + figures.filings, 0);
      expect(byKindTotal).toBe(dashboard.filings);

      const onlyAccess = await store.slaDashboard({ kind: 'new_access', province: '440000' });
      expect(onlyAccess).toMatchObject({
        kind: 'new_access',
        province: '440000',
        filings: 1,
        open: 1,
        overdue: 1,
      });
      expect(onlyAccess.byKind.map((figures) => figures.kind)).toEqual(['new_access']);
      expect(onlyAccess.byProvince).toEqual([
        { province: '440000', stage: 'bureau_review', filings: 1, overdue: 1 },
      ]);

      await projector.stop();
      for (const name of ['filing_summary', 'bureau_queue', 'sla_dashboard'] as const) {
        expect((await verifyProjection({ eventLog: log, store, name })).identical).toBe(true);
      }
    });

    it('pages with opaque cursors without gaps or repeats', async () => {
      for (let index = 0; index < 7; index++) await fileUpTo(`f-${index}`, 'bureau_review');
      await append('f-5', [{ type: 'BureauReviewOverdue', data: { dueAt: 'x' } }]);
      const store = await openStore();
      const projector = run(store);
      await projector.caughtUp();

      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listFilings({ stage: 'bureau_review', limit: 3, cursor });
        listed.push(...page.items.map((row) => row.filingId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(listed).toEqual(['f-6', 'f-5', 'f-4', 'f-3', 'f-2', 'f-1', 'f-0']);

      const queued: string[] = [];
      do {
        const page = await store.bureauQueue({ province: '440000', limit: 2, cursor });
        queued.push(...page.items.map((row) => row.filingId));
        cursor = page.nextCursor;
      } while (cursor);
      // All share one due date: overdue first, then by filing id.
      expect(queued).toEqual(['f-5', 'f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-6']);

      await expect(store.listFilings({ limit: 3, cursor: 'not-a-cursor' })).rejects.toThrow('cursor');
      const queueCursor = (await store.bureauQueue({ province: '440000', limit: 1 })).nextCursor ?? '';
      await expect(store.listFilings({ limit: 3, cursor: queueCursor })).rejects.toThrow('cursor');
      await expect(store.listFilings({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it('follows live appends and never double-applies across restarts', async () => {
      await fileUpTo('f-live', 'platform_review');
      const first = await openStore();
      const projector = run(first);
      await projector.caughtUp();
      expect(await first.getFiling('f-live')).toMatchObject({ status: 'platform_review', revision: 1 });

      await append('f-live', [
        { type: 'PlatformReviewApproved', data: {} },
        {
          type: 'SmsVerificationSent',
          data: { challengeId: 'c1', round: 1, expiresAt: '2026-12-02T03:00:00.000Z' },
        },
      ]);
      await projector.caughtUp();
      expect(await first.getFiling('f-live')).toMatchObject({
        status: 'sms_verification',
        dueBy: '2026-12-02T03:00:00.000Z',
        revision: 3,
      });
      const checkpoint = await first.live('filing_summary').checkpoint();
      await projector.stop();
      await first.close();

      // A new process: same file, new store and projector, then the rest of the filing.
      const second = await openStore();
      expect(await second.live('filing_summary').checkpoint()).toBe(checkpoint);
      const restarted = run(second, 2);
      const rest = historiesByStatus(submittedEvent('f-live')).completed.slice(4);
      await append('f-live', rest);
      await fileUpTo('f-next', 'completed', { appName: '示例记账二号' }, '粤ICP备2026000123号-2A');
      await restarted.caughtUp();

      expect(await second.getFiling('f-live')).toMatchObject({ status: 'completed', revision: 9 });
      expect((await second.findPublic({ appName: '示例记账' })).map((row) => row.appName)).toEqual([
        '示例记账',
        '示例记账二号',
      ]);

      // Redelivering every event (at-least-once) changes nothing: the checkpoint covers them.
      const everything = await log.readAll();
      expect(await second.live('filing_summary').applyBatch(everything)).toEqual({
        applied: 0,
        checkpoint: everything[everything.length - 1]?.position,
      });
      expect((await second.live('public_registry').applyBatch(everything)).applied).toBe(0);
      expect(await second.getFiling('f-live')).toMatchObject({ status: 'completed', revision: 9 });
    });

    it('rebuilds the same rows from position 0', async () => {
      await fileUpTo('f-r1', 'completed');
      await fileUpTo('f-r2', 'rejected');
      await fileUpTo('f-r3', 'completed', { serviceType: 'mini_program' }, '粤ICP备2026000123号-1X');
      const store = await openStore();
      const projector = run(store);
      await projector.caughtUp();
      await projector.stop();
      const before = {
        list: await store.listFilings({ limit: 10 }),
        registry: await store.findPublic({ appName: '记账' }),
      };

      await store.reset('filing_summary');
      await store.reset('public_registry');
      expect((await store.listFilings({ limit: 10 })).items).toEqual([]);
      const replay = run(store, 3);
      await replay.caughtUp();
      expect({
        list: await store.listFilings({ limit: 10 }),
        registry: await store.findPublic({ appName: '记账' }),
      }).toEqual(before);
    });

    it('keeps personal data of the form out of every read model', async () => {
      await fileUpTo('f-p1', 'completed');
      await fileUpTo('f-p2', 'sms_verification');
      const store = await openStore();
      const projector = run(store);
      await projector.caughtUp();
      const everything = JSON.stringify([
        await store.listFilings({ limit: 10 }),
        await store.findPublic({ appName: '记账' }),
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
      const store = await openStore();
      const errors: Error[] = [];
      const projector = startProjector({ eventLog: log, store, onError: (error) => errors.push(error) });
      projectors.push(projector);
      await expect(projector.caughtUp()).rejects.toThrow('cannot follow status submitted');
      expect(errors).toHaveLength(1);
      expect(await store.getFiling('f-bad')).toBeUndefined();
    });

    it('writes nothing of a batch that fails part-way, and applies the same events afresh afterwards', async () => {
      await fileUpTo('f-retry', 'platform_review');
      await append('f-retry', [submittedEvent('f-retry')]); // a second submission: no projection follows it
      const events = await log.readAll();
      const good = events.slice(0, -1);
      const store = await openStore();
      for (const name of ['filing_summary', 'bureau_queue', 'sla_dashboard'] as const) {
        const writer = store.live(name);
        // The bad event follows two good ones of the same filing, whose row the batch holds unwritten.
        await expect(writer.applyBatch(events)).rejects.toThrow(
          /FilingSubmitted (twice|\(seq 2\) cannot follow)/,
        );
        expect(await writer.checkpoint()).toBe(0);
        // Nothing of the failed batch may linger: a lingering row would make FilingSubmitted "twice".
        expect(await writer.applyBatch(good)).toEqual({
          applied: good.length,
          checkpoint: good.at(-1)?.position,
        });
      }
      expect(await store.getFiling('f-retry')).toMatchObject({
        status: 'platform_review',
        revision: good.length - 1,
      });
    });
  });
}
