import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import type { EventLog } from '../../events/ports/event-log.port';
import { verifyFilingChain } from '../../events/filing/envelope';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import { HAPPY_PATH_HISTORY } from '../../test/fixtures/histories/histories';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { bureauReviewUpdate, platformReviewUpdate, smsVerificationUpdate } from './filing.definitions';

/**
 * The real SQLite log, with the acknowledgement of every first append attempt lost after the write
 * committed — what a network drop between the worker and EventStoreDB looks like to the activity.
 */
function losingFirstAcks(log: EventLog): { log: EventLog; lost: () => number } {
  const seen = new Set<string>();
  let lost = 0;
  const wrapped: EventLog = Object.create(log) as EventLog;
  wrapped.appendToStream = async (streamId, events, options) => {
    const result = await log.appendToStream(streamId, events, options);
    const key = `${streamId}@${String(options.expectedRevision)}`;
    if (!seen.has(key)) {
      seen.add(key);
      lost += 1;
      throw new Error('connection reset after the append committed');
    }
    return result;
  };
  return { log: wrapped, lost: () => lost };
}

describe('filingWorkflow when append acknowledgements are lost', () => {
  let harness: FilingHarness;
  let lossy: ReturnType<typeof losingFirstAcks>;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    lossy = losingFirstAcks(harness.eventLog);
    await harness.runWorker(undefined, { ...harness.deps, eventLog: lossy.log });
  });
  afterAll(async () => harness?.stop());

  it('retries every append and still writes each event exactly once', async () => {
    const filingId = randomUUID();
    const handle = await harness.startFiling(loadValidForm('valid-app'), filingId);
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: 'pr-1',
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode('+8613900139000'), '150043');
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: 'sms-1',
    });
    await harness.waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: bureauOf('440000'), decision: 'approve' }],
      updateId: 'br-1',
    });
    const outcome = await harness.outcome(handle);

    const events = await harness.events(filingId);
    expect(outcome.status).toBe('completed');
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(verifyFilingChain(filingId, events as unknown as StoredFilingEnvelope[])).toEqual([]);
    expect(lossy.lost()).toBeGreaterThanOrEqual(events.length - 2);

    // Refresh the replay fixture from this run when asked (ICP_RECORD_HISTORY=1 npx jest …).
    if (process.env.ICP_RECORD_HISTORY === '1') {
      // Binary protobuf: historyToJSON trips over Jest's duplicate protobufjs registries.
      const history = await handle.fetchHistory();
      writeFileSync(HAPPY_PATH_HISTORY, temporal.api.history.v1.History.encode(history).finish());
    }
  });
});
