import { randomUUID } from 'node:crypto';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import {
  bureauReviewUpdate,
  platformReviewUpdate,
  smsVerificationUpdate,
  statusQuery,
} from './filing.definitions';

/** Tuesday 29 September 2026, 10:00 in China: two days before the National Day week (1–7 October). */
const BEFORE_NATIONAL_DAY = '2026-09-29T02:00:00Z';

describe('review deadlines across the National Day week (real 2026 holiday calendar)', () => {
  let harness: FilingHarness;

  beforeAll(async () => {
    harness = await FilingHarness.start({ startAt: BEFORE_NATIONAL_DAY });
    await harness.runWorker();
  });
  afterAll(async () => {
    if (!harness) return;
    // Whatever each test did, an auditor replaying the log finds nothing wrong with it.
    const reports = await harness.auditStartedFilings();
    await harness.stop();
    expect(reports.filter((report) => report.findings.length > 0).map((report) => report.findings)).toEqual(
      [],
    );
    expect(reports.length).toBeGreaterThan(0);
  });

  const sleepUntil = async (iso: string): Promise<void> =>
    harness.env.sleep(Date.parse(iso) - (await harness.env.currentTimeMs()));

  it('escalates each overdue review once, after the holidays, and leaves the decision to people', async () => {
    const filingId = randomUUID();
    const handle = await harness.startFiling(loadValidForm('valid-app'), filingId);
    const platform = await harness.waitForStatus(handle, 'platform_review');

    // Working days after Tue 29 Sep: Wed 30 Sep (1), 1–7 Oct holidays, Thu 8 Oct (2) → end of 8 Oct, China time.
    expect(platform).toMatchObject({ dueBy: '2026-10-08T15:59:59.999Z', provisional: false, overdue: false });

    await sleepUntil('2026-10-08T15:00:00Z'); // a Monday–Friday count would have escalated a week ago
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'platform_review', overdue: false });
    await sleepUntil('2026-10-10T00:00:00Z');
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'platform_review', overdue: true });

    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: 'pr',
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode('+8613900139000'), '150043');
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: 'sms',
    });
    const bureau = await harness.waitForStatus(handle, 'bureau_review');

    // Started Sat 10 Oct (China): that day is not counted although it is a 调休 working day; then
    // 12–16 Oct (5), 19–23 (10), 26–30 (15), 2–6 Nov (20) → end of Fri 6 Nov, China time.
    expect(bureau).toMatchObject({ dueBy: '2026-11-06T15:59:59.999Z', provisional: false, overdue: false });
    await sleepUntil('2026-11-06T15:00:00Z');
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'bureau_review', overdue: false });
    await sleepUntil('2026-11-20T00:00:00Z');
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'bureau_review', overdue: true });

    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: bureauOf('440000'), decision: 'approve' }],
      updateId: 'br',
    });
    const outcome = await harness.outcome(handle);

    const events = await harness.events(filingId);
    const overdue = events.filter((e) => e.type.endsWith('Overdue'));
    expect(overdue.map((e) => [e.type, e.data])).toEqual([
      ['PlatformReviewOverdue', { dueAt: '2026-10-08T15:59:59.999Z' }],
      ['BureauReviewOverdue', { dueAt: '2026-11-06T15:59:59.999Z' }],
    ]);
    // The due times above were counted with exactly the allowances the events record.
    const started = events.filter((e) => e.type.endsWith('ReviewStarted'));
    expect(started.map((e) => [e.type, e.data])).toEqual([
      [
        'PlatformReviewStarted',
        { dueAt: '2026-10-08T15:59:59.999Z', provisional: false, workingDays: 2, round: 1 },
      ],
      [
        'BureauReviewStarted',
        { dueAt: '2026-11-06T15:59:59.999Z', provisional: false, workingDays: 20, province: '440000' },
      ],
    ]);
    for (const event of overdue) {
      expect(Date.parse((event.metadata as { occurredAt: string }).occurredAt)).toBeGreaterThanOrEqual(
        Date.parse((event.data as { dueAt: string }).dueAt),
      );
    }
    expect(outcome).toMatchObject({
      status: 'completed',
      registrationNumber: expect.stringMatching(/^粤ICP备2026\d{6}号-1A$/),
    });
  });
});
