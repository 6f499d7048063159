import { historiesByStatus } from '../../test/support/decider-spec';
import { foldFiling } from '../../events/filing/evolve';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingStatus } from '../../events/filing/filing-state';
import { filingStatusView } from '../../events/filing/filing-view';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { filingViewOfRow } from '../../infra/read-models/filing-view-of-row';
import { toFilingSummaryRecord, toFilingSummaryRow } from '../../infra/read-models/read-model.records';
import { projectFilingSummary } from './filing-summary.projection';
import type { ProjectableEvent } from './projectable-event';
import { minutesAfterEpoch, recordedHistory, submittedEvent } from '../../test/support/projection-fixtures';

const FILING_ID = 'f-0001';
const FIELD_REASONS = [
  { path: 'app.platforms.0.packageName', problem: '与截图不符', suggestion: '填写商店中的包名' },
  { path: 'operator.name', problem: '与证件不一致' },
];
const TARGET = {
  subjectNumber: '粤ICP备2026000123号',
  serviceNumber: '粤ICP备2026000123号-1A',
  alters: { subject: false, service: true },
  baseFilingId: 'f-registered',
};

/** The row as a store holds it: projected event by event, each time written and read back. */
function storedRow(events: readonly ProjectableEvent[]): FilingSummaryRow | undefined {
  return events.reduce<FilingSummaryRow | undefined>((row, event) => {
    const next = projectFilingSummary(row, event);
    return next && toFilingSummaryRow(toFilingSummaryRecord(next));
  }, undefined);
}

/** What the workflow's status query answers after `events` (FilingRun.view: filingStatusView of the fold). */
function workflowView(events: readonly FilingEvent[]) {
  const timed = events.map((event, seq) => ({ ...event, metadata: { occurredAt: minutesAfterEpoch(seq) } }));
  const state = foldFiling(timed as Parameters<typeof foldFiling>[0]);
  return filingStatusView(FILING_ID, state, { revision: events.length - 1, lastHash: '' });
}

function smsFailed(failedAttempts: number): FilingEvent {
  const data = { challengeId: 'sms-challenge-1', failedAttempts, attemptsLeft: 5 - failedAttempts };
  return { type: 'SmsVerificationFailed', data };
}

function historiesOf(submitted: ReturnType<typeof submittedEvent>): [string, FilingEvent[]][] {
  const at = historiesByStatus(submitted);
  const variants: Record<string, FilingEvent[]> = {
    'returned by the platform with field reasons': [
      ...at.platform_review,
      { type: 'FilingReturnedForCorrection', data: { reasons: '材料不符', fieldReasons: FIELD_REASONS } },
    ],
    'returned by the bureau': [
      ...at.bureau_review,
      { type: 'BureauReviewReturned', data: { reasons: '请补充材料', fieldReasons: FIELD_REASONS } },
    ],
    'rejected by the platform with field reasons': [
      ...at.platform_review,
      { type: 'PlatformReviewRejected', data: { reasons: '虚假信息', fieldReasons: FIELD_REASONS } },
    ],
    'number refused by the registry': [
      ...at.bureau_approved,
      {
        type: 'RegistrationNumberRefused',
        data: { refusal: 'subject_not_registered', reasons: '不在登记册' },
      },
    ],
    'sms failed twice': [...at.sms_verification, smsFailed(1), smsFailed(2)],
    'sms failed four times, then verified': [...at.sms_verification, ...[1, 2, 3, 4].map(smsFailed)],
    'provisional review overdue': [
      ...at.platform_review.slice(0, -1),
      {
        type: 'PlatformReviewStarted',
        data: { dueAt: '2027-01-05T16:00:00.000Z', provisional: true, workingDays: 2, round: 1 },
      },
      { type: 'PlatformReviewOverdue', data: { dueAt: '2027-01-05T16:00:00.000Z' } },
    ],
  };
  const byStatus = Object.entries(at).filter(([, events]) => events.length > 0);
  return [...byStatus, ...Object.entries(variants)];
}

describe.each([
  ['a new registration', submittedEvent(FILING_ID)],
  ['a change', submittedEvent(FILING_ID, { kind: 'change', target: TARGET })],
])('the status view of %s from its filing_summary row', (_kind, submitted) => {
  it.each(historiesOf(submitted))('equals the workflow’s status query after the %s history', (_, events) => {
    const row = storedRow(recordedHistory(FILING_ID, events));
    expect(row).toBeDefined();
    const fromRow = filingViewOfRow(row as FilingSummaryRow);
    const fromWorkflow = workflowView(events);
    expect(fromRow).toEqual(fromWorkflow);
    // Same keys in the same order: a client sees the same JSON from either source.
    expect(JSON.stringify(fromRow)).toBe(JSON.stringify(fromWorkflow));
  });
});

describe('folding on from a stored row', () => {
  const at = historiesByStatus(submittedEvent(FILING_ID));

  it('keeps counting SMS attempts across batches', () => {
    const events = [...at.sms_verification, smsFailed(1), smsFailed(2), smsFailed(3)];
    const row = storedRow(recordedHistory(FILING_ID, events));
    expect(row?.smsAttemptsLeft).toBe(2);
    expect(filingViewOfRow(row as FilingSummaryRow).smsAttemptsLeft).toBe(2);
  });

  it('keeps a returned filing’s field reasons and who returned it until it is corrected', () => {
    const returned: FilingEvent[] = [
      ...at.bureau_review,
      { type: 'BureauReviewReturned', data: { reasons: '请补充材料', fieldReasons: FIELD_REASONS } },
    ];
    expect(storedRow(recordedHistory(FILING_ID, returned))).toMatchObject({
      status: 'returned_for_correction',
      reasons: '请补充材料',
      fieldReasons: FIELD_REASONS,
      returnedBy: 'bureau',
    });
    const corrected = storedRow(
      recordedHistory(FILING_ID, [
        ...returned,
        { type: 'FilingCorrected', data: { form: submittedEvent(FILING_ID).data.form, appName: '示例记账' } },
      ]),
    );
    for (const gone of ['reasons', 'fieldReasons', 'returnedBy'] as const)
      expect(corrected).not.toHaveProperty(gone);
  });

  it.each(['platform_review', 'bureau_review'] as FilingStatus[])(
    'keeps a review’s provisional flag at %s',
    (status) => {
      const row = storedRow(recordedHistory(FILING_ID, at[status]));
      expect(row?.provisional).toBe(false);
      expect(filingViewOfRow(row as FilingSummaryRow).provisional).toBe(false);
    },
  );
});
