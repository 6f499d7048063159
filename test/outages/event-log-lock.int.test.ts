import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { FilingStatus } from '../../events/filing/filing-state';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { readOutbox } from '../../infra/notify/outbox';
import {
  bureauReviewUpdate,
  platformReviewUpdate,
  smsVerificationUpdate,
  statusQuery,
  withdrawalUpdate,
} from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../temporal/filing-harness';
import { appForm, asStreamEvents, ID_LAST6, streamProblems } from '../races/filing-api';
import { holdWriteLock, type HeldWriteLock } from './lock-holder';

/**
 * The event log unavailable for 30 s while filings move: another process holds the SQLite file's
 * write lock. Each append waits 5 s for it (the adapter's lock timeout), fails with
 * EventLogUnavailableError, and Temporal retries it (500 ms, doubling, at most 30 s apart; the
 * start-to-close timeout of 10 s leaves room for the 5 s wait). Once the lock is released every
 * transition lands once. The filings run on the time-skipping test server with time left to run
 * at its real pace: the 30 s are real, the retries' backoff is Temporal's own.
 */

const LOCK_MS = 30_000;
const SUBMITTED = ['FilingSubmitted', 'PlatformReviewStarted'];
const AT_SMS = [...SUBMITTED, 'PlatformReviewApproved', 'SmsVerificationSent'];
const AT_BUREAU = [...AT_SMS, 'SmsVerified', 'BureauReviewStarted'];

type Handle = WorkflowHandle<typeof filingWorkflow>;

interface Case {
  readonly name: string;
  readonly appName: string;
  handle?: Handle;
  /** Status when the lock is taken, and what the decision taken during the outage leads to. */
  readonly before?: FilingStatus;
  readonly after: FilingStatus;
  readonly expected: readonly string[];
  eventsBefore?: number;
  answeredAt?: number;
  settledAt?: number;
}

describe('the event log locked by another process for 30 s while filings move', () => {
  let harness: FilingHarness;
  let lock: HeldWriteLock | undefined;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
  });
  afterAll(async () => {
    await lock?.stop();
    await harness?.stop();
  });

  const code = (appName: string): string => {
    const text = readOutbox(harness.config.dataDir, { limit: 1000 }).find(
      (m) => m.channel === 'sms' && m.text.includes(`「${appName}」`),
    )?.text;
    const found = text && /核验码为(\d{6})/.exec(text)?.[1];
    if (!found) throw new Error(`no code sent for ${appName}`);
    return found;
  };

  const start = async (c: Case): Promise<Handle> => {
    c.handle = await harness.startFiling(appForm(c.appName), randomUUID());
    return c.handle;
  };

  /** Brings a filing to platform review, SMS verification or bureau review. */
  const bringTo = async (c: Case, status: FilingStatus): Promise<void> => {
    const handle = await start(c);
    await harness.waitForStatus(handle, 'platform_review');
    if (status === 'platform_review') return;
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: `prep-pr-${c.name}`,
    });
    await harness.waitForStatus(handle, 'sms_verification');
    if (status === 'sms_verification') return;
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(code(c.appName), ID_LAST6) }],
      updateId: `prep-sms-${c.name}`,
    });
    await harness.waitForStatus(handle, 'bureau_review');
  };

  const streamOf = async (c: Case) =>
    asStreamEvents(await harness.events(c.handle?.workflowId.replace(/^filing-/, '') ?? ''));

  it('fails the appends with EventLogUnavailableError, retries them, and lands every transition once after', async () => {
    const cases: Record<string, Case> = {
      approve: {
        name: 'approve',
        appName: '锁测审核',
        before: 'platform_review',
        after: 'sms_verification',
        expected: AT_SMS,
      },
      withdraw: {
        name: 'withdraw',
        appName: '锁测撤回',
        before: 'platform_review',
        after: 'withdrawn',
        expected: [...SUBMITTED, 'FilingWithdrawn'],
      },
      sms: {
        name: 'sms',
        appName: '锁测核验',
        before: 'sms_verification',
        after: 'bureau_review',
        expected: AT_BUREAU,
      },
      issue: {
        name: 'issue',
        appName: '锁测发号',
        before: 'bureau_review',
        after: 'completed',
        expected: [
          ...AT_BUREAU,
          'BureauReviewApproved',
          'RegistrationNumberIssued',
          'RegistrationPublished',
          'ApplicantNotified',
        ],
      },
      reject: {
        name: 'reject',
        appName: '锁测驳回',
        before: 'bureau_review',
        after: 'rejected',
        expected: [...AT_BUREAU, 'BureauReviewRejected'],
      },
      new1: { name: 'new1', appName: '锁测新提交一', after: 'platform_review', expected: SUBMITTED },
      new2: { name: 'new2', appName: '锁测新提交二', after: 'platform_review', expected: SUBMITTED },
    };
    const all = Object.values(cases);
    const prepared = all.filter((c) => c.before);
    const preparedAt = Date.now();
    await Promise.all(prepared.map((c) => bringTo(c, c.before as FilingStatus)));
    const prepareMs = Date.now() - preparedAt;
    for (const c of prepared) c.eventsBefore = (await streamOf(c)).length;
    const headBefore = await harness.eventLog.headPosition();
    const sealedSms = harness.seal(code(cases.sms?.appName ?? ''), ID_LAST6);

    lock = await holdWriteLock(harness.eventLog.file, LOCK_MS);
    const lockedAt = lock.lockedAt;

    // While the lock is held: two new filings, and one human decision on each prepared filing (the
    // platform's approval sent twice with one update id, as a client retrying would).
    await Promise.all([start(cases.new1 as Case), start(cases.new2 as Case)]);
    const handleOf = (name: string): Handle => cases[name]?.handle as Handle;
    const decisions: Array<[Case, Promise<FilingStatusView | { status: FilingStatusView }>]> = [
      [
        cases.approve as Case,
        handleOf('approve').executeUpdate(platformReviewUpdate, {
          args: [{ actor: PLATFORM, decision: 'approve' }],
          updateId: 'outage-pr',
        }),
      ],
      [
        cases.approve as Case,
        handleOf('approve').executeUpdate(platformReviewUpdate, {
          args: [{ actor: PLATFORM, decision: 'approve' }],
          updateId: 'outage-pr',
        }),
      ],
      [
        cases.withdraw as Case,
        handleOf('withdraw').executeUpdate(withdrawalUpdate, {
          args: [{ actor: PLATFORM, reasons: '运营方撤回' }],
          updateId: 'outage-wd',
        }),
      ],
      [
        cases.sms as Case,
        handleOf('sms').executeUpdate(smsVerificationUpdate, {
          args: [{ actor: APPLICANT, sealedAnswer: sealedSms }],
          updateId: 'outage-sms',
        }),
      ],
      [
        cases.issue as Case,
        handleOf('issue').executeUpdate(bureauReviewUpdate, {
          args: [{ actor: bureauOf('440000'), decision: 'approve' }],
          updateId: 'outage-br',
        }),
      ],
      [
        cases.reject as Case,
        handleOf('reject').executeUpdate(bureauReviewUpdate, {
          args: [{ actor: bureauOf('440000'), decision: 'reject', reasons: '材料不全' }],
          updateId: 'outage-rj',
        }),
      ],
    ];
    // The SMS update answers {verified, attemptsLeft, status}; the others the view itself.
    const answers = decisions.map(([c, answer]) =>
      answer.then((result): FilingStatusView => {
        c.answeredAt = Math.max(c.answeredAt ?? 0, Date.now());
        return 'filingId' in result ? result : result.status;
      }),
    );
    answers.forEach((answer) => void answer.catch(() => undefined));

    // Near the end of the outage: nothing landed, the log still reads, every filing shows its old state,
    // and each one's append is being retried after EventLogUnavailableError.
    await new Promise((r) => setTimeout(r, Math.max(0, lockedAt + LOCK_MS - 4_000 - Date.now())));
    expect(await harness.eventLog.headPosition()).toBe(headBefore);
    for (const c of prepared) expect((await streamOf(c)).length).toBe(c.eventsBefore);
    expect(all.filter((c) => c.answeredAt !== undefined).map((c) => c.name)).toEqual([]);
    const pending = await Promise.all(
      all.map(async (c) => {
        const handle = c.handle as Handle;
        const view = await handle.query(statusQuery);
        expect(view.status).toBe(c.before ?? 'not_submitted');
        const described = await handle.describe();
        const append = (described.raw.pendingActivities ?? []).find(
          (a) => a.activityType?.name === 'appendFilingEvents',
        );
        return {
          name: c.name,
          attempt: append?.attempt ?? 0,
          failure: append?.lastFailure?.applicationFailureInfo?.type ?? '',
          message: append?.lastFailure?.message ?? '',
        };
      }),
    );
    for (const p of pending) {
      expect(p).toMatchObject({ attempt: expect.any(Number), failure: 'EventLogUnavailableError' });
      expect(p.attempt).toBeGreaterThanOrEqual(3);
      expect(p.message).toMatch(/locked by another connection; gave up after \d+ ms/);
    }

    const releasedAt = await lock.released;
    const views = await Promise.all(answers);
    expect(views.map((view) => view.status)).toEqual([
      'platform_approved',
      'platform_approved',
      'withdrawn',
      'sms_verified',
      'bureau_approved',
      'rejected',
    ]);
    expect(views[1]).toEqual(views[0]);
    for (const c of all.filter((x) => x.answeredAt !== undefined)) {
      expect(c.answeredAt).toBeGreaterThanOrEqual(releasedAt);
    }
    await Promise.all(
      all.map(async (c) => {
        await harness.waitForStatus(c.handle as Handle, c.after, 60_000);
        c.settledAt = Date.now();
      }),
    );

    for (const c of all)
      expect({ filing: c.name, problems: streamProblems(await streamOf(c), c.expected) }).toEqual({
        filing: c.name,
        problems: [],
      });
    const everything = await harness.eventLog.readAll();
    expect(new Set(everything.map((e) => e.id)).size).toBe(everything.length);
    const reports = await harness.auditStartedFilings();
    expect(reports.map((r) => [r.verdict, r.findings.length])).toEqual(all.map(() => ['verified', 0]));

    const settled = Math.max(...all.map((c) => c.settledAt ?? 0)) - releasedAt;
    const answered = Math.max(...all.map((c) => c.answeredAt ?? 0)) - releasedAt;
    console.info(
      [
        'event log locked by another process',
        `  did: ${prepared.length} filings prepared over the harness (${prepareMs} ms); a child node process held ` +
          `BEGIN EXCLUSIVE on events.sqlite for ${releasedAt - lockedAt} ms; meanwhile 2 filings submitted and ` +
          `6 updates sent (platform approve ×2 with one update id, withdraw, SMS verify, bureau approve, bureau reject)`,
        `  during the lock: log head unchanged at ${headBefore}; each pending append at attempt ` +
          `${pending.map((p) => `${p.name} ${p.attempt}`).join(', ')}, last failure EventLogUnavailableError`,
        `  after release: updates answered within ${answered} ms, every filing in its end state within ${settled} ms`,
        `  checked: every stream exactly its transitions (${everything.length} events in the log, no id twice, seq ` +
          `contiguous, chain linked); the duplicate update answered alike; auditFilingHistory verified ${reports.length} of ${all.length}`,
      ].join('\n'),
    );
  }, 150_000);
});
