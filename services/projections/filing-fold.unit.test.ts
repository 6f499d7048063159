import { timed, historiesByStatus } from '../../test/support/decider-spec';
import { minutesAfterEpoch, submittedEvent } from '../../test/support/projection-fixtures';
import { foldFiling } from '../../events/filing/evolve';
import type { FilingEvent } from '../../events/filing/filing-events';
import { initialFilingState, type SubmittedFilingState } from '../../events/filing/filing-state';
import { filingStandingOf } from '../../events/filing/filing-view';
import { evolveFiling, filingStateOfRow, type KeptFiling, kindColumnsOf } from './filing-fold';
import { ProjectionError } from './projectable-event';

const FILING_ID = 'f-fold';
const SUBMITTED = submittedEvent(FILING_ID);
const AT = historiesByStatus(SUBMITTED);
const HISTORIES: Record<string, FilingEvent[]> = {
  ...AT,
  'platform review overdue': [...AT.platform_review, { type: 'PlatformReviewOverdue', data: { dueAt: 'x' } }],
  'bureau review overdue': [...AT.bureau_review, { type: 'BureauReviewOverdue', data: { dueAt: 'x' } }],
  'one wrong SMS code': [
    ...AT.sms_verification,
    {
      type: 'SmsVerificationFailed',
      data: { challengeId: 'sms-challenge-1', failedAttempts: 1, attemptsLeft: 4 },
    },
  ],
};
const SUBMITTED_HISTORIES = Object.entries(HISTORIES).filter(([, events]) => events.length > 0);

function stateAfter(events: readonly FilingEvent[]): SubmittedFilingState {
  const state = foldFiling(timed(events));
  if (state.status === 'not_submitted') throw new Error('not submitted');
  return state;
}

/** What a row keeps of the filing after `events`, as a projection writes it. */
function keptAfter(events: readonly FilingEvent[], facts: 'all' | 'some'): KeptFiling {
  const state = stateAfter(events);
  const { status, dueBy, overdue, registrationNumber } = filingStandingOf(state);
  const { filingId, platformId, province, serviceType, appName, submittedAt } = state;
  const kept = { filingId, platformId, province, status, dueBy, overdue, registrationNumber };
  return facts === 'all' ? { ...kept, serviceType, appName, submittedAt } : kept;
}

describe('filingStateOfRow', () => {
  it.each(SUBMITTED_HISTORIES)('gives back what the row keeps after the %s history', (_name, events) => {
    const state = stateAfter(events);
    const { status, stage, dueBy, overdue, registrationNumber } = filingStandingOf(state);
    const fromRow = filingStateOfRow(keptAfter(events, 'some'));
    const standing = filingStandingOf(fromRow);
    expect({
      status: standing.status,
      stage: standing.stage,
      dueBy: standing.dueBy,
      overdue: standing.overdue,
      registrationNumber: standing.registrationNumber,
    }).toEqual({ status, stage, dueBy, overdue, registrationNumber });
    const { filingId, platformId, province, serviceType, appName, submittedAt } = state;
    expect(filingStateOfRow(keptAfter(events, 'all'))).toMatchObject({
      filingId,
      platformId,
      province,
      serviceType,
      appName,
      submittedAt,
    });
  });

  it('holds nothing of the form', () => {
    const fromRow = filingStateOfRow(keptAfter(AT.completed, 'all'));
    expect(fromRow.form).toEqual({});
  });
});

describe('filingStateOfRow: kinds', () => {
  it('gives back the kind and the target’s numbers a row keeps; a row without a kind is a new registration', () => {
    const kept = keptAfter(AT.bureau_review, 'all');
    expect(filingStateOfRow(kept).kind).toBe('new_registration');
    expect(filingStateOfRow(kept)).not.toHaveProperty('target');
    const change = filingStateOfRow({
      ...kept,
      kind: 'change',
      targetSubjectNumber: '粤ICP备2026000123号',
      targetServiceNumber: '粤ICP备2026000123号-1A',
    });
    expect(change).toMatchObject({
      kind: 'change',
      target: { subjectNumber: '粤ICP备2026000123号', serviceNumber: '粤ICP备2026000123号-1A' },
    });
    const subject = filingStateOfRow({
      ...kept,
      kind: 'cancellation',
      targetSubjectNumber: '粤ICP备2026000123号',
    });
    expect(subject.target).toEqual({ subjectNumber: '粤ICP备2026000123号' });
  });

  it('kindColumnsOf: the kind and the target’s numbers only', () => {
    expect(kindColumnsOf({ kind: 'new_registration' })).toEqual({ kind: 'new_registration' });
    expect(
      kindColumnsOf({
        kind: 'change',
        target: {
          subjectNumber: '粤ICP备2026000123号',
          serviceNumber: '粤ICP备2026000123号-1A',
          alters: { subject: true, service: false },
          baseFilingId: 'f-base',
        },
      }),
    ).toEqual({
      kind: 'change',
      targetSubjectNumber: '粤ICP备2026000123号',
      targetServiceNumber: '粤ICP备2026000123号-1A',
    });
  });
});

describe('evolveFiling', () => {
  const read = (event: FilingEvent, seq: number) => ({
    filingId: FILING_ID,
    event,
    seq,
    occurredAt: minutesAfterEpoch(seq),
  });

  it('folds an event with its time, as evolve does', () => {
    const state = evolveFiling(initialFilingState, read(SUBMITTED, 0));
    expect(state).toEqual(foldFiling([{ ...SUBMITTED, metadata: { occurredAt: minutesAfterEpoch(0) } }]));
  });

  it('stops the projector at an event that cannot follow, naming the filing, the event and the status', () => {
    const approved: FilingEvent = { type: 'BureauReviewApproved', data: {} };
    expect(() => evolveFiling(initialFilingState, read(approved, 3))).toThrow(
      new ProjectionError(
        `filing ${FILING_ID}: BureauReviewApproved (seq 3) cannot follow status not_submitted`,
      ),
    );
    const submitted = foldFiling(timed(AT.submitted));
    expect(() => evolveFiling(submitted, read(SUBMITTED, 1))).toThrow(ProjectionError);
  });
});
