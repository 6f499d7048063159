import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historiesByStatus } from '../../support/decider-spec';
import { SYSTEM_ACTOR } from '../../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../../events/filing/envelope';
import { foldFiling } from '../../../events/filing/evolve';
import type { FilingEvent } from '../../../events/filing/filing-events';
import { filingStatusView } from '../../../events/filing/filing-view';
import { filingStreamId } from '../../../events/filing/stream-ids';
import type { Json } from '../../../events/ports/event-log.port';
import type { ReadModelStore } from '../../../events/ports/read-models.port';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { startProjector } from '../../../services/projections/projector';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import { submittedEvent } from '../../support/projection-fixtures';
import type { ReadModelsFixture } from '../read-models.contract';

const EPOCH = Date.parse('2026-11-30T02:00:00.000Z');
const FIELD_REASONS = [{ path: 'app.platforms.0.packageName', problem: '与截图不符', suggestion: '改正' }];
const TARGET = {
  subjectNumber: '粤ICP备2026000123号',
  serviceNumber: '粤ICP备2026000123号-1A',
  alters: { subject: true, service: false },
  baseFilingId: 'f-base',
};

/** Filings whose views show every field a row must keep: target, provisional, attempts, reasons. */
function sampleHistories(): Record<string, FilingEvent[]> {
  const at = historiesByStatus(submittedEvent('f-v1'));
  const change = historiesByStatus(submittedEvent('f-v4', { kind: 'change', target: TARGET }));
  const failed = (failedAttempts: number): FilingEvent => ({
    type: 'SmsVerificationFailed',
    data: { challengeId: 'sms-challenge-1', failedAttempts, attemptsLeft: 5 - failedAttempts },
  });
  return {
    'f-v1': [
      ...at.bureau_review,
      { type: 'BureauReviewReturned', data: { reasons: '请补充材料', fieldReasons: FIELD_REASONS } },
    ],
    'f-v2': historiesByStatus(submittedEvent('f-v2')).sms_verification.concat([failed(1), failed(2)]),
    'f-v3': historiesByStatus(submittedEvent('f-v3')).completed,
    'f-v4': change.bureau_review,
  };
}

/** The filing's status view as FilingRun.view gives it after `events`, stamped as `append` stamps them. */
function workflowView(filingId: string, events: readonly FilingEvent[]) {
  const timed = events.map((event) => ({ ...event, metadata: { occurredAt: '' } }));
  const state = foldFiling(timed as Parameters<typeof foldFiling>[0]);
  return filingStatusView(filingId, state, { revision: events.length - 1, lastHash: '' });
}

/** `filingView`: the workflow's status query answered from the filing_summary row. */
export function describeFilingViewContract(
  backendName: string,
  openFixture: () => Promise<ReadModelsFixture>,
): void {
  describe(`ReadModelStore contract: ${backendName}: the filing's status view from its row`, () => {
    let dir: string;
    let fixture: ReadModelsFixture;
    let log: SqliteEventLog;
    let store: ReadModelStore;

    async function append(filingId: string, events: readonly FilingEvent[], minute: number): Promise<void> {
      const sealed = sealFilingEvents(EMPTY_STREAM, events, {
        filingId,
        occurredAt: new Date(EPOCH + minute * 60_000).toISOString(),
        actor: SYSTEM_ACTOR,
        correlationId: filingId,
        causationId: `test-${minute}`,
      });
      const stored = sealed.envelopes.map(({ id, type, data, metadata }) => ({
        id,
        type,
        data: data as unknown as Json,
        metadata: metadata as unknown as Json,
      }));
      await log.appendToStream(filingStreamId(filingId), stored, { expectedRevision: 'no_stream' });
    }

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'icp-filing-view-'));
      fixture = await openFixture();
      log = new SqliteEventLog(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
      store = await fixture.open(readModelProjections(loadChineseCalendar()));
    });

    afterEach(async () => {
      await store.close();
      await log.close();
      await fixture.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers what the status query says, folded across batches, and nothing for an unknown filing', async () => {
      const histories = Object.entries(sampleHistories());
      for (const [index, [filingId, events]] of histories.entries()) await append(filingId, events, index);
      // Batches of 2: each filing's row is read back from the store and folded on many times.
      const projector = startProjector({ eventLog: log, store, batchSize: 2 });
      try {
        await projector.caughtUp();
      } finally {
        await projector.stop();
      }
      for (const [filingId, events] of histories) {
        expect(await store.filingView(filingId)).toEqual(workflowView(filingId, events));
      }
      expect(await store.filingView('f-v1')).toMatchObject({
        fieldReasons: FIELD_REASONS,
        returnedBy: 'bureau',
      });
      expect(await store.filingView('f-v2')).toMatchObject({ smsAttemptsLeft: 3 });
      expect(await store.filingView('f-v4')).toMatchObject({ target: TARGET, provisional: false });
      expect(await store.filingView('f-unknown')).toBeUndefined();
    });
  });
}
