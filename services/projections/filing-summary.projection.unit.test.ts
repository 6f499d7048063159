import { historiesByStatus } from '../../test/support/decider-spec';
import { foldFiling } from '../../events/filing/evolve';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingStatus } from '../../events/filing/filing-state';
import { filingStatusView } from '../../events/filing/filing-view';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { projectFilingSummary } from './filing-summary.projection';
import { type ProjectableEvent, ProjectionError } from './projectable-event';
import {
  minutesAfterEpoch,
  personalDataOf,
  recordedHistory,
  submittedEvent,
} from '../../test/support/projection-fixtures';

const FILING_ID = 'f-0001';
const SUBMITTED = submittedEvent(FILING_ID);
const AT = historiesByStatus(SUBMITTED);

function project(events: readonly ProjectableEvent[]): FilingSummaryRow | undefined {
  return events.reduce<FilingSummaryRow | undefined>(projectFilingSummary, undefined);
}

/** The fields the row shares with filingStatusView, as the fold of the same history gives them. */
function viewFieldsOf(events: readonly FilingEvent[]) {
  const timed = events.map((event, seq) => ({
    ...event,
    metadata: { occurredAt: minutesAfterEpoch(seq) },
  })) as Parameters<typeof foldFiling>[0];
  const view = filingStatusView(FILING_ID, foldFiling(timed), { revision: events.length - 1, lastHash: '' });
  return {
    status: view.status,
    stage: view.stage,
    dueBy: view.dueBy,
    overdue: view.overdue,
    registrationNumber: view.registrationNumber,
    revision: view.revision,
  };
}

const overdueVariants: Record<string, FilingEvent[]> = {
  'platform review overdue': [...AT.platform_review, { type: 'PlatformReviewOverdue', data: { dueAt: 'x' } }],
  'bureau review overdue': [...AT.bureau_review, { type: 'BureauReviewOverdue', data: { dueAt: 'x' } }],
  'overdue then approved': [
    ...AT.bureau_review,
    { type: 'BureauReviewOverdue', data: { dueAt: 'x' } },
    { type: 'BureauReviewApproved', data: {} },
  ],
  'corrected and reviewed again': [
    ...AT.returned_for_correction,
    { type: 'FilingCorrected', data: { form: SUBMITTED.data.form, appName: '示例记账 Pro' } },
    {
      type: 'PlatformReviewStarted',
      data: { dueAt: '2026-12-08T16:00:00.000Z', provisional: true, workingDays: 2, round: 2 },
    },
  ],
  'sms failed once': [
    ...AT.sms_verification,
    {
      type: 'SmsVerificationFailed',
      data: { challengeId: 'sms-challenge-1', failedAttempts: 1, attemptsLeft: 4 },
    },
  ],
  'resubmitted after sms expiry': [...AT.returned_to_platform, { type: 'FilingResubmitted', data: {} }],
  'number refused by the registry': [
    ...AT.bureau_approved,
    {
      type: 'RegistrationNumberRefused',
      data: { refusal: 'subject_not_registered', reasons: '粤ICP备2026000123号 is not in the registry' },
    },
  ],
};

describe('projectFilingSummary', () => {
  const histories = Object.entries({ ...AT, ...overdueVariants }).filter(([, events]) => events.length > 0);

  it.each(histories)('agrees with filingStatusView after the %s history', (_name, events) => {
    const row = project(recordedHistory(FILING_ID, events));
    expect(row).toMatchObject(JSON.parse(JSON.stringify(viewFieldsOf(events))));
    if (row?.dueBy === undefined) expect(viewFieldsOf(events).dueBy).toBeUndefined();
    if (row?.registrationNumber === undefined)
      expect(viewFieldsOf(events).registrationNumber).toBeUndefined();
  });

  it('describes a submitted filing from its first event', () => {
    expect(project(recordedHistory(FILING_ID, [SUBMITTED]))).toEqual({
      filingId: FILING_ID,
      kind: 'new_registration',
      platformId: 'wechat',
      province: '440000',
      serviceType: 'app',
      appName: '示例记账',
      status: 'submitted',
      stage: 'platform_review',
      overdue: false,
      revision: 0,
      submittedAt: minutesAfterEpoch(0),
      updatedAt: minutesAfterEpoch(0),
    });
  });

  it('tracks the latest app name, revision and time of change', () => {
    const events = overdueVariants['corrected and reviewed again'] ?? [];
    expect(project(recordedHistory(FILING_ID, events))).toMatchObject({
      appName: '示例记账 Pro',
      revision: events.length - 1,
      submittedAt: minutesAfterEpoch(0),
      updatedAt: minutesAfterEpoch(events.length - 1),
      dueBy: '2026-12-08T16:00:00.000Z',
    });
  });

  it('names the operator only once the registration is published', () => {
    const operatorName = SUBMITTED.data.form.operator?.name;
    expect(operatorName).toEqual(expect.any(String));
    expect(project(recordedHistory(FILING_ID, AT.registered))?.operatorName).toBeUndefined();
    expect(project(recordedHistory(FILING_ID, AT.published))?.operatorName).toBe(operatorName);
    expect(project(recordedHistory(FILING_ID, AT.completed))).toMatchObject({
      status: 'completed',
      stage: 'closed',
      operatorName,
      registrationNumber: '粤ICP备2026000123号-1A',
    });
  });

  it.each(Object.keys(AT) as FilingStatus[])('holds no personal data of the form at %s', (status) => {
    const row = JSON.stringify(project(recordedHistory(FILING_ID, AT[status])) ?? {});
    const personal = personalDataOf(loadValidForm('valid-app'));
    expect(personal.length).toBeGreaterThanOrEqual(6);
    for (const value of personal) expect(row).not.toContain(value);
    expect(row).not.toContain('"form"');
  });

  it('leaves the row unchanged for other streams and unknown event types', () => {
    const row = project(recordedHistory(FILING_ID, AT.platform_review));
    const base = { data: {}, metadata: { seq: 9, occurredAt: minutesAfterEpoch(99) } };
    expect(projectFilingSummary(row, { ...base, streamId: 'registry-subject-x', type: 'SmsVerified' })).toBe(
      row,
    );
    expect(projectFilingSummary(row, { ...base, streamId: `filing-${FILING_ID}`, type: 'FutureEvent' })).toBe(
      row,
    );
  });

  it('refuses an event that cannot follow the row status', () => {
    const row = project(recordedHistory(FILING_ID, AT.submitted));
    const [approved] = recordedHistory(FILING_ID, [{ type: 'BureauReviewApproved', data: {} }]);
    expect(() => projectFilingSummary(row, approved as ProjectableEvent)).toThrow(ProjectionError);
    expect(() => projectFilingSummary(undefined, approved as ProjectableEvent)).toThrow(ProjectionError);
  });

  it('refuses an event without seq or occurredAt', () => {
    const event: ProjectableEvent = { streamId: 'filing-x', type: 'FilingSubmitted', data: {}, metadata: {} };
    expect(() => projectFilingSummary(undefined, event)).toThrow(ProjectionError);
  });
});

describe('projectFilingSummary: filing kinds', () => {
  const TARGET = {
    subjectNumber: '粤ICP备2026000123号',
    serviceNumber: '粤ICP备2026000123号-1A',
    alters: { subject: false, service: true },
    baseFilingId: 'f-registered',
  };
  const CHANGE = submittedEvent(FILING_ID, { kind: 'change', target: TARGET });

  it('keeps a change filing’s kind and its whole target (the status view shows it)', () => {
    const row = project(recordedHistory(FILING_ID, [CHANGE]));
    expect(row).toMatchObject({
      kind: 'change',
      targetSubjectNumber: TARGET.subjectNumber,
      targetServiceNumber: TARGET.serviceNumber,
      targetAlters: TARGET.alters,
      targetBaseFilingId: TARGET.baseFilingId,
      status: 'submitted',
    });
  });

  it('a subject cancellation acts on the subject: no service number', () => {
    const cancellation = submittedEvent(FILING_ID, {
      kind: 'cancellation',
      target: { subjectNumber: TARGET.subjectNumber },
    });
    const row = project(recordedHistory(FILING_ID, [cancellation]));
    expect(row).toMatchObject({ kind: 'cancellation', targetSubjectNumber: TARGET.subjectNumber });
    expect(row).not.toHaveProperty('targetServiceNumber');
  });

  it('a filing recorded before kinds existed is a new registration with no target', () => {
    const row = project(recordedHistory(FILING_ID, AT.bureau_review));
    expect(row?.kind).toBe('new_registration');
    expect(row).not.toHaveProperty('targetSubjectNumber');
  });

  it.each(['platform_review', 'sms_verification', 'bureau_review', 'bureau_approved', 'withdrawn'] as const)(
    'a change keeps its kind and target through %s, and agrees with filingStatusView',
    (status) => {
      const events = historiesByStatus(CHANGE)[status];
      const row = project(recordedHistory(FILING_ID, events));
      expect(row).toMatchObject({
        kind: 'change',
        targetSubjectNumber: TARGET.subjectNumber,
        targetServiceNumber: TARGET.serviceNumber,
        ...JSON.parse(JSON.stringify(viewFieldsOf(events))),
      });
    },
  );
});
