import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { FilingStatus } from '../../events/filing/filing-state';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { EsdbEventLog } from '../../infra/event-log/esdb/esdb-event-log';
import { FakeEsdbServer } from '../support/esdb/esdb-fake-server';
import {
  platformReviewUpdate,
  statusQuery,
  withdrawalUpdate,
} from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { FilingHarness, PLATFORM } from '../temporal/filing-harness';
import { appForm, asStreamEvents, streamProblems } from '../races/filing-api';

/**
 * The KurrentDB (EventStoreDB) event log unreachable for 30 s while filings move: the server stops
 * listening (connections refused) and comes back on the same port with what it stored. The real
 * @kurrent/kurrentdb-client talks real gRPC to the in-process stand-in of KurrentDB's API (no real
 * KurrentDB runs on this machine). Appends fail with EventLogUnavailableError, Temporal retries
 * them with its backoff, and every transition lands once after the server is back.
 */

const OUTAGE_MS = 30_000;
const SUBMITTED = ['FilingSubmitted', 'PlatformReviewStarted'];

type Handle = WorkflowHandle<typeof filingWorkflow>;

interface Case {
  readonly name: string;
  readonly appName: string;
  readonly after: FilingStatus;
  readonly expected: readonly string[];
  handle?: Handle;
  answeredAt?: number;
}

describe('the EventStoreDB event log unreachable for 30 s while filings move', () => {
  let server: FakeEsdbServer;
  let harness: FilingHarness<EsdbEventLog>;

  beforeAll(async () => {
    server = await FakeEsdbServer.start();
    harness = await FilingHarness.startOn({}, () => new EsdbEventLog(server.url));
    await harness.runWorker();
  });
  afterAll(async () => {
    await harness?.stop();
    await server?.stop();
  });

  const idOf = (c: Case): string => c.handle?.workflowId.replace(/^filing-/, '') ?? '';
  const streamOf = async (c: Case) => asStreamEvents(await harness.events(idOf(c)));

  it('fails the appends while it is away, retries them, and lands every transition once when it is back', async () => {
    const approve: Case = {
      name: 'approve',
      appName: '断连审核',
      after: 'sms_verification',
      expected: [...SUBMITTED, 'PlatformReviewApproved', 'SmsVerificationSent'],
    };
    const withdraw: Case = {
      name: 'withdraw',
      appName: '断连撤回',
      after: 'withdrawn',
      expected: [...SUBMITTED, 'FilingWithdrawn'],
    };
    const fresh: Case = { name: 'new', appName: '断连新提交', after: 'platform_review', expected: SUBMITTED };
    const all = [approve, withdraw, fresh];
    for (const c of [approve, withdraw]) {
      c.handle = await harness.startFiling(appForm(c.appName), randomUUID());
      await harness.waitForStatus(c.handle, 'platform_review');
    }
    const storedBefore = server.eventCount;

    const outageStarted = Date.now();
    const back = server.unreachableFor(OUTAGE_MS).then(() => Date.now());
    fresh.handle = await harness.startFiling(appForm(fresh.appName), randomUUID());
    const decisions: Array<[Case, Promise<FilingStatusView>]> = [
      [
        approve,
        (approve.handle as Handle).executeUpdate(platformReviewUpdate, {
          args: [{ actor: PLATFORM, decision: 'approve' }],
          updateId: 'esdb-outage-pr',
        }),
      ],
      [
        withdraw,
        (withdraw.handle as Handle).executeUpdate(withdrawalUpdate, {
          args: [{ actor: PLATFORM, reasons: '运营方撤回' }],
          updateId: 'esdb-outage-wd',
        }),
      ],
    ];
    const answers = decisions.map(([c, answer]) =>
      answer.then((view) => {
        c.answeredAt = Date.now();
        return view;
      }),
    );
    answers.forEach((answer) => void answer.catch(() => undefined));

    // Near the end of the outage: nothing stored, no decision answered, each append being retried.
    await new Promise((r) => setTimeout(r, Math.max(0, outageStarted + OUTAGE_MS - 4_000 - Date.now())));
    expect(server.eventCount).toBe(storedBefore);
    expect(all.filter((c) => c.answeredAt !== undefined).map((c) => c.name)).toEqual([]);
    const pending = await Promise.all(
      all.map(async (c) => {
        const handle = c.handle as Handle;
        const view = await handle.query(statusQuery);
        const described = await handle.describe();
        const append = (described.raw.pendingActivities ?? []).find(
          (a) => a.activityType?.name === 'appendFilingEvents',
        );
        return {
          name: c.name,
          status: view.status,
          attempt: append?.attempt ?? 0,
          failure: append?.lastFailure?.applicationFailureInfo?.type ?? '',
        };
      }),
    );
    expect(pending.map((p) => p.status)).toEqual(['platform_review', 'platform_review', 'not_submitted']);
    for (const p of pending) {
      expect(p.failure).toBe('EventLogUnavailableError');
      expect(p.attempt).toBeGreaterThanOrEqual(3);
    }

    const backAt = await back;
    const views = await Promise.all(answers);
    expect(views.map((view) => view.status)).toEqual(['platform_approved', 'withdrawn']);
    for (const c of all) await harness.waitForStatus(c.handle as Handle, c.after, 90_000);
    const settledMs = Date.now() - backAt;

    for (const c of all) {
      expect({ filing: c.name, problems: streamProblems(await streamOf(c), c.expected) }).toEqual({
        filing: c.name,
        problems: [],
      });
    }
    const everything = await harness.eventLog.readAll();
    expect(new Set(everything.map((e) => e.id)).size).toBe(everything.length);
    const reports = await harness.auditStartedFilings();
    expect(reports.map((r) => [r.verdict, r.findings.length])).toEqual(all.map(() => ['verified', 0]));

    console.info(
      [
        'EventStoreDB unreachable',
        `  did: 2 filings brought to platform review; the server stopped listening for ${backAt - outageStarted} ms; ` +
          'meanwhile 1 filing submitted, a platform approval and a withdrawal sent',
        `  during the outage: ${storedBefore} events stored, unchanged; each pending append at attempt ` +
          `${pending.map((p) => `${p.name} ${p.attempt}`).join(', ')}, last failure EventLogUnavailableError`,
        `  after it came back: every filing in its end state within ${settledMs} ms`,
        `  checked: every stream exactly its transitions (${everything.length} events, no id twice, seq ` +
          `contiguous, chain linked); auditFilingHistory verified ${reports.length} of ${all.length}`,
      ].join('\n'),
    );
  }, 180_000);
});
