import { historiesByStatus } from '../../test/support/decider-spec';
import type { FilingEvent } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import { WorkingDayCalendar } from '../../events/working-days';
import { CHINA_2026 } from '../../events/working-days/china-2026.fixture';
import type { ProjectableEvent } from './projectable-event';
import { submittedEvent } from '../../test/support/projection-fixtures';
import type { SlaFilingRow, SlaStageVisit } from '../../events/ports/read-models.port';
import { projectSla } from './sla-dashboard.projection';

const CALENDAR = new WorkingDayCalendar(CHINA_2026);
const FILING_ID = 'f-sla-1';
const SUBMITTED = submittedEvent(FILING_ID);
const AT = historiesByStatus(SUBMITTED);

/** Events at the given China-time instants (ISO), seq in order. */
function timedHistory(events: readonly FilingEvent[], times: readonly string[]): ProjectableEvent[] {
  return events.map((event, seq) => ({
    streamId: filingStreamId(FILING_ID),
    type: event.type,
    data: JSON.parse(JSON.stringify(event.data)),
    metadata: { filingId: FILING_ID, seq, occurredAt: times[seq] ?? times[times.length - 1] ?? '' },
  }));
}

function given(events: readonly ProjectableEvent[]): { row?: SlaFilingRow; visits: SlaStageVisit[] } {
  const visits: SlaStageVisit[] = [];
  let row: SlaFilingRow | undefined;
  for (const event of events) {
    const update = projectSla(row, event, CALENDAR);
    if (!update) continue;
    row = update.filing;
    if (update.finishedVisit) visits.push(update.finishedVisit);
  }
  return { row, visits };
}

describe('SLA dashboard projection: given events → rows', () => {
  it('a submitted filing is in platform review since its submission, with no finished visit', () => {
    const { row, visits } = given(timedHistory([SUBMITTED], ['2026-11-30T02:00:00.000Z']));
    expect(row).toEqual({
      filingId: FILING_ID,
      platformId: 'wechat',
      province: '440000',
      kind: 'new_registration',
      status: 'submitted',
      stage: 'platform_review',
      stageEnteredAt: '2026-11-30T02:00:00.000Z',
      overdue: false,
      visits: 0,
    });
    expect(visits).toEqual([]);
  });

  it('leaving a stage records the stay in working and calendar days; staying in it records nothing', () => {
    // Monday 30 Nov 10:00 China → approved Thursday 3 Dec 10:00: Tue and Wed have ended: 2 working days.
    const history = AT.platform_approved;
    const times = history.map((_, index) =>
      index === history.length - 1 ? '2026-12-03T02:00:00.000Z' : '2026-11-30T02:00:00.000Z',
    );
    const { row, visits } = given(timedHistory(history, times));
    expect(visits).toEqual([
      {
        filingId: FILING_ID,
        visit: 0,
        province: '440000',
        kind: 'new_registration',
        stage: 'platform_review',
        enteredAt: '2026-11-30T02:00:00.000Z',
        leftAt: '2026-12-03T02:00:00.000Z',
        workingDays: 2,
        calendarDays: 3,
        wasOverdue: false,
      },
    ]);
    expect(row).toMatchObject({
      stage: 'sms_verification',
      stageEnteredAt: '2026-12-03T02:00:00.000Z',
      visits: 1,
    });
  });

  it('working days skip the National Day holiday week', () => {
    // In bureau review from 30 Sep to 9 Oct 2026, 10:00: 1–7 Oct are holidays; 8 Oct is the one
    // working day that has ended (9 Oct has not).
    const history = [...AT.bureau_review, { type: 'BureauReviewApproved', data: {} } as FilingEvent];
    const times = history.map((_, index) =>
      index === history.length - 1 ? '2026-10-09T02:00:00.000Z' : '2026-09-30T02:00:00.000Z',
    );
    const { visits } = given(timedHistory(history, times));
    const bureau = visits.find((visit) => visit.stage === 'bureau_review');
    expect(bureau).toMatchObject({ calendarDays: 9 });
    expect(bureau?.workingDays).toBe(1);
  });

  it('an overdue review is counted while it lasts and recorded on the finished visit', () => {
    const history = [
      ...AT.bureau_review,
      { type: 'BureauReviewOverdue', data: { dueAt: 'x' } } as FilingEvent,
    ];
    const during = given(timedHistory(history, ['2026-11-30T02:00:00.000Z']));
    expect(during.row).toMatchObject({ stage: 'bureau_review', overdue: true });

    const after = given(
      timedHistory(
        [...history, { type: 'BureauReviewRejected', data: { reasons: '材料不全' } }],
        ['2026-11-30T02:00:00.000Z'],
      ),
    );
    expect(after.row).toMatchObject({ stage: 'closed', status: 'rejected', overdue: false });
    expect(after.visits.at(-1)).toMatchObject({ stage: 'bureau_review', wasOverdue: true });
  });

  it.each(['change', 'cancellation', 'new_access'] as const)(
    'a %s filing’s row and every stay it finishes carry its kind',
    (kind) => {
      const submitted = submittedEvent(FILING_ID, { kind, target: { subjectNumber: '粤ICP备2026000123号' } });
      const history = [
        ...historiesByStatus(submitted).bureau_review,
        { type: 'BureauReviewApproved', data: {} },
      ];
      const { row, visits } = given(timedHistory(history as FilingEvent[], ['2026-11-30T02:00:00.000Z']));
      expect(row).toMatchObject({
        kind,
        targetSubjectNumber: '粤ICP备2026000123号',
        status: 'bureau_approved',
      });
      expect(row).not.toHaveProperty('targetServiceNumber');
      expect(visits.map((visit) => [visit.stage, visit.kind])).toEqual([
        ['platform_review', kind],
        ['sms_verification', kind],
        ['bureau_review', kind],
      ]);
    },
  );

  it('ignores events of streams that are not filings', () => {
    const other = { streamId: 'registry-440000-2026', type: 'Allocated', data: {}, metadata: {} };
    expect(projectSla(undefined, other, CALENDAR)).toBeUndefined();
  });
});
