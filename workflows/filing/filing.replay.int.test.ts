import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, type InjectedSinks, Worker } from '@temporalio/worker';
import { verifyFilingChain } from '../../events/filing/envelope';
import { foldFiling } from '../../events/filing/evolve';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import { upcastFilingEnvelope, V1_REVIEW_WORKING_DAYS } from '../../events/filing/upcast';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { CONCURRENT_DECISIONS_HISTORY, HAPPY_PATH_HISTORY } from '../../test/fixtures/histories/histories';
import type { AppendCaptureSinks } from '../../test/fixtures/workflows/append-capture.interceptors';

type History = temporal.api.history.v1.IHistory;
type AppendInput = { streamId: string; events: StoredFilingEnvelope[] };

const readHistory = (path = HAPPY_PATH_HISTORY): History =>
  temporal.api.history.v1.History.decode(readFileSync(path));

/** The first argument of every activity of `type` the history scheduled (JSON payloads, decoded by hand). */
function scheduledInputs<T>(history: History, type: string): T[] {
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const payload = scheduled?.input?.payloads?.[0];
    if (scheduled?.activityType?.name !== type || !payload?.data) return [];
    return [JSON.parse(Buffer.from(payload.data).toString('utf8')) as T];
  });
}

describe('recorded filing histories replay with today’s workflow code', () => {
  it('replays a complete app filing (with retried appends) without nondeterminism', async () => {
    const history = readHistory();
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });

    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
    expect(history.events?.length).toBeGreaterThan(20);
  });

  it('re-seals the events of a history recorded at schemaVersion 1 exactly as they were appended', async () => {
    // Temporal does not compare activity inputs on replay; a workflow that re-sealed a v1 history at
    // schemaVersion 2 would replay "fine" and then continue the stream from hashes the log never held.
    const history = readHistory();
    const recorded = scheduledInputs<AppendInput>(history, 'appendFilingEvents');
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [
        require.resolve('../../test/fixtures/workflows/append-capture.interceptors'),
      ],
      logger: new DefaultLogger('WARN'),
    });
    const replayed: unknown[] = [];
    const sinks: InjectedSinks<AppendCaptureSinks> = {
      appendCapture: {
        scheduled: {
          fn: (_info, input) => {
            replayed.push(input);
          },
          callDuringReplay: true,
        },
      },
    };

    // The workflow id is not in the history; the causation ids the workflow records contain it.
    await Worker.runReplayHistory({ workflowBundle, sinks }, history, recorded[0]?.streamId);

    expect(recorded.length).toBeGreaterThanOrEqual(10);
    expect(JSON.parse(JSON.stringify(replayed))).toEqual(recorded);
  });

  it('replays decisions that reached one review together, appending in the order recorded', async () => {
    // Approve, reject, withdraw and return arrive in one workflow task. Approve is appended; under
    // the append lock the reject is then refused, and the withdrawal's append is scheduled before
    // the first two updates complete. A lock that hands over a microtask sooner or later schedules
    // these in another order, which Temporal reports as nondeterminism.
    const history = readHistory(CONCURRENT_DECISIONS_HISTORY);
    const recorded = scheduledInputs<AppendInput>(history, 'appendFilingEvents');
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [
        require.resolve('../../test/fixtures/workflows/append-capture.interceptors'),
      ],
      logger: new DefaultLogger('WARN'),
    });
    const replayed: unknown[] = [];
    const sinks: InjectedSinks<AppendCaptureSinks> = {
      appendCapture: {
        scheduled: {
          fn: (_info, input) => {
            replayed.push(input);
          },
          callDuringReplay: true,
        },
      },
    };

    await Worker.runReplayHistory({ workflowBundle, sinks }, history, recorded[0]?.streamId);

    expect(recorded.flatMap((input) => input.events.map((event) => event.type))).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'FilingWithdrawn',
    ]);
    expect(JSON.parse(JSON.stringify(replayed))).toEqual(recorded);
  });

  it('holds a v1 history that still verifies and folds once upcast', () => {
    const history = readHistory();
    const appended = scheduledInputs<AppendInput>(history, 'appendFilingEvents');
    const envelopes = appended.flatMap((input) => input.events);
    const filingId = envelopes[0]?.metadata.filingId ?? '';

    expect(new Set(envelopes.map((envelope) => envelope.metadata.schemaVersion))).toEqual(new Set([1]));
    expect(verifyFilingChain(filingId, envelopes)).toEqual([]);
    expect(foldFiling(envelopes.map(upcastFilingEnvelope)).status).toBe('completed');
    expect(
      envelopes
        .map(upcastFilingEnvelope)
        .flatMap((envelope) =>
          envelope.type === 'PlatformReviewStarted' || envelope.type === 'BureauReviewStarted'
            ? [[envelope.type, envelope.data.workingDays]]
            : [],
        ),
    ).toEqual([
      ['PlatformReviewStarted', 2],
      ['BureauReviewStarted', 20],
    ]);
  });

  it('shows the allowances v1 writers computed deadlines with, which the upcaster fills in', () => {
    const inputs = scheduledInputs<{ workingDays: number }>(readHistory(), 'computeDeadline');
    expect(inputs.map((input) => input.workingDays)).toEqual([
      V1_REVIEW_WORKING_DAYS.PlatformReviewStarted,
      V1_REVIEW_WORKING_DAYS.BureauReviewStarted,
    ]);
  });
});
