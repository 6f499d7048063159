import { historiesByStatus } from '../../test/support/decider-spec';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { BureauQueueRow } from '../../events/ports/read-models.port';
import { projectBureauQueue } from './bureau-queue.projection';
import { ProjectionError } from './projectable-event';
import { minutesAfterEpoch, recordedHistory, submittedEvent } from '../../test/support/projection-fixtures';

const FILING_ID = 'f-queue-1';
const SUBMITTED = submittedEvent(FILING_ID);
const AT = historiesByStatus(SUBMITTED);

function given(events: readonly FilingEvent[]): BureauQueueRow | undefined {
  return recordedHistory(FILING_ID, events).reduce<BureauQueueRow | undefined>(projectBureauQueue, undefined);
}

describe('bureau queue projection: given events → row', () => {
  it('FilingSubmitted → a row that is not queued', () => {
    expect(given([SUBMITTED])).toEqual({
      filingId: FILING_ID,
      kind: 'new_registration',
      status: 'submitted',
      platformId: 'wechat',
      province: '440000',
      serviceType: 'app',
      appName: '示例记账',
      submittedAt: minutesAfterEpoch(0),
      updatedAt: minutesAfterEpoch(0),
      revision: 0,
      overdue: false,
    });
  });

  it('BureauReviewStarted → queued since then, due when the review is due', () => {
    const history = AT.bureau_review;
    const started = history[history.length - 1] as Extract<FilingEvent, { type: 'BureauReviewStarted' }>;
    const row = given(history);
    expect(row).toMatchObject({
      queuedAt: minutesAfterEpoch(history.length - 1),
      dueBy: started.data.dueAt,
      overdue: false,
      revision: history.length - 1,
    });
  });

  it('BureauReviewOverdue → overdue, still queued', () => {
    const row = given([...AT.bureau_review, { type: 'BureauReviewOverdue', data: { dueAt: 'x' } }]);
    expect(row).toMatchObject({ overdue: true, queuedAt: expect.any(String) });
  });

  it.each<[string, FilingEvent]>([
    ['approved', { type: 'BureauReviewApproved', data: {} }],
    ['rejected', { type: 'BureauReviewRejected', data: { reasons: '材料不全' } }],
    ['withdrawn', { type: 'FilingWithdrawn', data: {} }],
  ])('%s → leaves the queue, overdue cleared', (_name, decision) => {
    const row = given([...AT.bureau_review, { type: 'BureauReviewOverdue', data: { dueAt: 'x' } }, decision]);
    expect(row).toBeDefined();
    expect(row?.queuedAt).toBeUndefined();
    expect(row?.dueBy).toBeUndefined();
    expect(row?.overdue).toBe(false);
  });

  it('returned by the bureau → leaves the queue; after correction, review and SMS it is queued again', () => {
    const returned: FilingEvent = {
      type: 'BureauReviewReturned',
      data: { reasons: '请修改', fieldReasons: [{ path: 'app.name', problem: '名称不符' }] },
    };
    const history = [...AT.bureau_review, returned];
    expect(given(history)?.queuedAt).toBeUndefined();
    // The second round as the first (the queue only follows the bureau stage): review, SMS, bureau.
    const back: FilingEvent[] = [
      ...history,
      { type: 'FilingCorrected', data: { form: SUBMITTED.data.form, appName: '示例记账本' } },
      ...AT.bureau_review.slice(1),
    ];
    const row = given(back);
    expect(row).toMatchObject({
      appName: '示例记账本',
      queuedAt: minutesAfterEpoch(back.length - 1),
      revision: back.length - 1,
    });
  });

  it('an overdue platform review does not put the filing in the bureau queue', () => {
    const row = given([...AT.platform_review, { type: 'PlatformReviewOverdue', data: { dueAt: 'x' } }]);
    expect(row).toMatchObject({ overdue: false });
    expect(row?.queuedAt).toBeUndefined();
  });

  it('a correction renames the app in the queue row', () => {
    const row = given([
      ...AT.returned_for_correction,
      { type: 'FilingCorrected', data: { form: SUBMITTED.data.form, appName: '示例记账 Pro' } },
    ]);
    expect(row?.appName).toBe('示例记账 Pro');
  });

  it('refuses what the state machine refuses, as the filing summary does', () => {
    expect(() =>
      given([
        ...AT.bureau_review,
        { type: 'BureauReviewApproved', data: {} },
        { type: 'BureauReviewOverdue', data: { dueAt: 'x' } },
      ]),
    ).toThrow(ProjectionError);
    expect(() => given([...AT.submitted, { type: 'BureauReviewApproved', data: {} }])).toThrow(
      'cannot follow status submitted',
    );
  });

  it('keeps the time the filing entered bureau review while it stays there', () => {
    const history = AT.bureau_review;
    const row = given([...history, { type: 'BureauReviewOverdue', data: { dueAt: 'x' } }]);
    expect(row?.queuedAt).toBe(minutesAfterEpoch(history.length - 1));
    expect(row?.updatedAt).toBe(minutesAfterEpoch(history.length));
  });

  it('a second FilingSubmitted cannot follow', () => {
    expect(() => given([SUBMITTED, SUBMITTED])).toThrow(ProjectionError);
  });

  it('refuses an event before FilingSubmitted rather than guess', () => {
    const [, started] = recordedHistory(FILING_ID, AT.platform_review);
    expect(() => projectBureauQueue(undefined, started!)).toThrow(ProjectionError);
  });

  it('ignores streams that are not filings', () => {
    const row = given([SUBMITTED]);
    const other = { streamId: 'registry-440000-2026', type: 'FilingSubmitted', data: {}, metadata: {} };
    expect(projectBureauQueue(row, other)).toBe(row);
  });
});

describe('bureau queue projection: filing kinds', () => {
  const target = { subjectNumber: '粤ICP备2026000123号', serviceNumber: '粤ICP备2026000123号-1A' };

  it.each(['change', 'cancellation', 'new_access'] as const)(
    'a %s filing waits in the queue with its kind and the numbers it acts on',
    (kind) => {
      const events = historiesByStatus(submittedEvent(FILING_ID, { kind, target })).bureau_review;
      expect(given(events)).toMatchObject({
        kind,
        targetSubjectNumber: target.subjectNumber,
        targetServiceNumber: target.serviceNumber,
        status: 'bureau_review',
        queuedAt: expect.any(String),
        dueBy: expect.any(String),
      });
    },
  );

  it('a new registration has no target numbers', () => {
    const row = given(AT.bureau_review);
    expect(row).toMatchObject({ kind: 'new_registration', status: 'bureau_review' });
    expect(row).not.toHaveProperty('targetSubjectNumber');
    expect(row).not.toHaveProperty('targetServiceNumber');
  });
});
