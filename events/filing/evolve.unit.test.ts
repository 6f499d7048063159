import fc from 'fast-check';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import {
  BUREAU_REVIEW_DUE,
  FIRST_CHALLENGE,
  historiesByStatus,
  occurredAtOf,
  PLATFORM_REVIEW_DUE,
  SERVICE_NUMBER,
  SMS_EXPIRES_AT,
  stateAfter,
  SUBJECT_NUMBER,
  timed,
} from '../../test/support/decider-spec';
import { evolve, foldFiling } from './evolve';
import { FilingDomainError } from './filing-errors';
import {
  FILING_EVENT_TYPES,
  type FilingEvent,
  type FilingEventOf,
  type FilingEventType,
} from './filing-events';
import {
  type FilingState,
  type FilingStateOf,
  type FilingStatus,
  initialFilingState,
  TERMINAL_STATUSES,
} from './filing-state';
import { LEGAL_TRANSITIONS } from './transitions';

function validatedAppForm(change?: (form: Record<string, unknown>) => void): RegistrationForm {
  const input = loadValidForm('valid-app');
  change?.(input);
  const result = validateRegistrationForm(input, { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`valid-app does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const appForm = validatedAppForm();
const SUBMITTED: FilingEventOf<'FilingSubmitted'> = {
  type: 'FilingSubmitted',
  data: {
    filingId: 'filing-0001',
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form: appForm,
  },
};
const AT = historiesByStatus(SUBMITTED);
const STATUSES = Object.keys(AT) as FilingStatus[];

/** The state after `events`, asserting it has the expected status. */
function stateIn<S extends FilingStatus>(status: S, ...events: FilingEvent[]): FilingStateOf<S> {
  const state = stateAfter(...events);
  expect(state.status).toBe(status);
  return state as FilingStateOf<S>;
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Freezes a value and everything in it, so that a write to it throws. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

const platformOverdue: FilingEvent = {
  type: 'PlatformReviewOverdue',
  data: { dueAt: PLATFORM_REVIEW_DUE.dueAt },
};
const returned: FilingEvent = { type: 'FilingReturnedForCorrection', data: { reasons: '截图不清晰' } };
const corrected = (form: RegistrationForm, appName: string): FilingEvent => ({
  type: 'FilingCorrected',
  data: { form, appName },
});
const reviewStarted = (round: number): FilingEvent => ({
  type: 'PlatformReviewStarted',
  data: { ...PLATFORM_REVIEW_DUE, round },
});
const smsFailed = (failedAttempts: number, challengeId = FIRST_CHALLENGE): FilingEvent => ({
  type: 'SmsVerificationFailed',
  data: { challengeId, failedAttempts, attemptsLeft: 5 - failedAttempts },
});

describe('evolve: status after typical histories', () => {
  it.each(STATUSES)('reaches %s', (status) => {
    expect(stateAfter(...AT[status]).status).toBe(status);
  });

  it('keeps what the submission said, and when', () => {
    const state = stateIn('submitted', SUBMITTED);
    expect(state).toEqual({
      status: 'submitted',
      filingId: 'filing-0001',
      kind: 'new_registration',
      platformId: 'wechat',
      province: '440000',
      serviceType: 'app',
      appName: '示例记账',
      form: appForm,
      submittedAt: occurredAtOf(0),
      platformReviewRound: 0,
      smsRound: 0,
    });
  });

  it('keeps the facts of the filing through the whole happy path', () => {
    const state = stateIn('completed', ...AT.completed);
    expect(state).toMatchObject({
      filingId: 'filing-0001',
      platformId: 'wechat',
      province: '440000',
      serviceType: 'app',
      appName: '示例记账',
      submittedAt: occurredAtOf(0),
      subjectNumber: SUBJECT_NUMBER,
      serviceNumber: SERVICE_NUMBER,
      platformReviewRound: 1,
      smsRound: 1,
    });
  });

  it('records who rejected and why', () => {
    expect(stateIn('rejected', ...AT.rejected)).toMatchObject({
      rejectedBy: 'bureau',
      reasons: '主办单位信息与证件不一致',
    });
    expect(
      stateIn('rejected', ...AT.platform_review, {
        type: 'PlatformReviewRejected',
        data: { reasons: '无前置审批' },
      }),
    ).toMatchObject({ rejectedBy: 'platform', reasons: '无前置审批' });
  });

  it('records why a filing was returned', () => {
    expect(stateIn('returned_for_correction', ...AT.returned_for_correction).reasons).toBe(
      '应用服务内容与截图不符',
    );
    expect(stateIn('returned_to_platform', ...AT.returned_to_platform).reason).toBe('sms_expired');
  });

  it('records who returned a filing, with the per-field reasons', () => {
    const fieldReasons = [
      { path: 'app.platforms.0.packageName', problem: '包名与安装包不一致', suggestion: '按安装包填写' },
    ];
    expect(stateIn('returned_for_correction', ...AT.returned_for_correction)).toMatchObject({
      returnedBy: 'platform',
    });
    expect(
      stateIn('returned_for_correction', ...AT.bureau_review, {
        type: 'BureauReviewReturned',
        data: { reasons: '请核对包名', fieldReasons },
      }),
    ).toMatchObject({ returnedBy: 'bureau', reasons: '请核对包名', fieldReasons });
    expect(
      stateIn('returned_for_correction', ...AT.bureau_approved, {
        type: 'RegistrationNumberRefused',
        data: { refusal: 'subject_not_registered', reasons: '主体备案号不在备案库中' },
      }),
    ).toMatchObject({ returnedBy: 'registry' });
    expect(
      stateIn('rejected', ...AT.platform_review, {
        type: 'PlatformReviewRejected',
        data: { reasons: '不予通过', fieldReasons },
      }),
    ).toMatchObject({ rejectedBy: 'platform', fieldReasons });
    expect(stateIn('returned_for_correction', ...AT.returned_for_correction)).not.toHaveProperty(
      'fieldReasons',
    );
  });

  it('takes a filing the bureau returned through correction, platform review and a new SMS round back to the bureau', () => {
    const history: FilingEvent[] = [
      ...AT.bureau_review,
      {
        type: 'BureauReviewReturned',
        data: { reasons: '请核对', fieldReasons: [{ path: 'app.name', problem: '名称不符' }] },
      },
      corrected(validatedAppForm(), '示例记账'),
      reviewStarted(2),
      { type: 'PlatformReviewApproved', data: {} },
      {
        type: 'SmsVerificationSent',
        data: { challengeId: 'filing-0001:sms:2', round: 2, expiresAt: SMS_EXPIRES_AT },
      },
      { type: 'SmsVerified', data: { challengeId: 'filing-0001:sms:2' } },
      { type: 'BureauReviewStarted', data: { ...BUREAU_REVIEW_DUE, province: '440000' } },
    ];
    expect(stateIn('bureau_review', ...history)).toMatchObject({ platformReviewRound: 2, smsRound: 2 });
  });

  it('takes the corrected form and app name but keeps province and service type', () => {
    const renamed = validatedAppForm((form) => {
      (form.app as Record<string, unknown>).name = '示例记账本';
    });
    const state = stateIn('submitted', ...AT.platform_review, returned, corrected(renamed, '示例记账本'));
    expect(state).toMatchObject({
      appName: '示例记账本',
      form: renamed,
      province: '440000',
      serviceType: 'app',
    });
  });

  it('takes a form corrected after the SMS check and starts over at submitted, the SMS round kept', () => {
    const newMobile = validatedAppForm((form) => {
      (form.appPrincipal as Record<string, unknown>).mobile = '+8613600136000';
    });
    const state = stateIn('submitted', ...AT.returned_to_platform, corrected(newMobile, '示例记账'));
    expect(state).toMatchObject({ form: newMobile, smsRound: 1, province: '440000' });
  });

  it('takes a resent code as the round’s challenge, keeping its window and its wrong answers', () => {
    const state = stateIn('sms_verification', ...AT.sms_verification, smsFailed(1), {
      type: 'SmsVerificationResent',
      data: {
        challengeId: `${FIRST_CHALLENGE}:1`,
        previousChallengeId: FIRST_CHALLENGE,
        trigger: 'scheduled',
        expiresAt: SMS_EXPIRES_AT,
      },
    });
    expect(state).toMatchObject({
      challengeId: `${FIRST_CHALLENGE}:1`,
      expiresAt: SMS_EXPIRES_AT,
      failedAttempts: 1,
      resends: ['scheduled'],
      smsRound: 1,
    });
  });

  it('never modifies the state it is given', () => {
    let state: FilingState = deepFreeze({ status: 'not_submitted' });
    for (const event of timed(AT.completed)) state = deepFreeze(evolve(state, event));
    expect(state.status).toBe('completed');
  });

  it('folds with foldFiling as with evolve step by step', () => {
    expect(foldFiling(timed(AT.completed))).toEqual(stateAfter(...AT.completed));
  });
});

describe('evolve: review clocks', () => {
  it('starts the platform review clock when the review starts', () => {
    const state = stateIn('platform_review', ...AT.platform_review);
    expect(state.review).toEqual({
      startedAt: occurredAtOf(1),
      dueAt: PLATFORM_REVIEW_DUE.dueAt,
      provisional: false,
      overdue: false,
    });
  });

  it('marks the review overdue and changes nothing else', () => {
    const before = stateIn('platform_review', ...AT.platform_review);
    const after = stateIn('platform_review', ...AT.platform_review, platformOverdue);
    expect(after).toEqual({ ...before, review: { ...before.review, overdue: true } });
  });

  it('keeps a provisional deadline provisional', () => {
    const state = stateIn('platform_review', SUBMITTED, {
      type: 'PlatformReviewStarted',
      data: { dueAt: '2027-01-04T16:00:00.000Z', provisional: true, workingDays: 2, round: 1 },
    });
    expect(state.review).toMatchObject({ dueAt: '2027-01-04T16:00:00.000Z', provisional: true });
  });

  it('starts the next round with a fresh, not overdue clock', () => {
    const state = stateIn(
      'platform_review',
      ...AT.platform_review,
      platformOverdue,
      returned,
      corrected(appForm, '示例记账'),
      reviewStarted(2),
    );
    expect(state.review).toEqual({
      startedAt: occurredAtOf(5),
      dueAt: PLATFORM_REVIEW_DUE.dueAt,
      provisional: false,
      overdue: false,
    });
  });

  it('runs the bureau review clock and its overdue flag', () => {
    const history: FilingEvent[] = [
      ...AT.bureau_review,
      { type: 'BureauReviewOverdue', data: { dueAt: BUREAU_REVIEW_DUE.dueAt } },
    ];
    const state = stateIn('bureau_review', ...history);
    expect(state.review).toEqual({
      startedAt: occurredAtOf(AT.bureau_review.length - 1),
      dueAt: BUREAU_REVIEW_DUE.dueAt,
      provisional: false,
      overdue: true,
    });
  });
});

describe('evolve: SMS attempts and rounds', () => {
  it('counts failed attempts', () => {
    expect(stateIn('sms_verification', ...AT.sms_verification).failedAttempts).toBe(0);
    expect(
      stateIn('sms_verification', ...AT.sms_verification, smsFailed(1), smsFailed(2), smsFailed(3))
        .failedAttempts,
    ).toBe(3);
  });

  it('keeps the challenge and its expiry', () => {
    expect(stateIn('sms_verification', ...AT.sms_verification)).toMatchObject({
      challengeId: FIRST_CHALLENGE,
      expiresAt: SMS_EXPIRES_AT,
      smsRound: 1,
    });
  });

  it('gives a resubmitted filing a new review round, a new SMS round and no failed attempts', () => {
    const state = stateIn(
      'sms_verification',
      ...AT.sms_verification,
      smsFailed(1),
      smsFailed(2),
      smsFailed(3),
      smsFailed(4),
      smsFailed(5),
      { type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } },
      { type: 'FilingResubmitted', data: {} },
      reviewStarted(2),
      { type: 'PlatformReviewApproved', data: {} },
      {
        type: 'SmsVerificationSent',
        data: { challengeId: 'sms-challenge-2', round: 2, expiresAt: SMS_EXPIRES_AT },
      },
    );
    expect(state).toMatchObject({
      platformReviewRound: 2,
      smsRound: 2,
      challengeId: 'sms-challenge-2',
      failedAttempts: 0,
    });
  });

  it('counts platform review rounds across corrections', () => {
    const state = stateIn(
      'platform_review',
      ...AT.platform_review,
      returned,
      corrected(appForm, '示例记账'),
      reviewStarted(2),
      returned,
      corrected(appForm, '示例记账'),
      reviewStarted(3),
    );
    expect(state.platformReviewRound).toBe(3);
  });
});

describe('evolve: illegal transitions', () => {
  function expectIllegal(history: FilingEvent[], next: FilingEvent): void {
    const state = stateAfter(...history);
    const [event] = timed([next], history.length);
    if (!event) throw new Error('no event');
    const error = errorOf(() => evolve(state, event));
    expect(error).toBeInstanceOf(FilingDomainError);
    expect(error).toMatchObject({ code: 'illegal_transition', details: { status: state.status } });
  }

  it('refuses SmsVerified right after FilingSubmitted', () => {
    expectIllegal([SUBMITTED], { type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } });
  });

  it('refuses a second FilingSubmitted', () => {
    expectIllegal([SUBMITTED], SUBMITTED);
  });

  it('refuses any event before FilingSubmitted', () => {
    expectIllegal([], { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 1 } });
    expectIllegal([], { type: 'FilingWithdrawn', data: {} });
  });

  it('refuses a bureau decision during the platform review', () => {
    expectIllegal(AT.platform_review, { type: 'BureauReviewApproved', data: {} });
  });

  it('refuses a withdrawal after the bureau approved', () => {
    expectIllegal(AT.bureau_approved, { type: 'FilingWithdrawn', data: {} });
  });

  const afterTerminal = TERMINAL_STATUSES.flatMap((status) =>
    FILING_EVENT_TYPES.map((type) => [status, type] as const),
  );
  it.each(afterTerminal)('refuses anything after %s: %s', (status, type) => {
    expectIllegal(AT[status], sampleEvent(type));
  });
});

/** One well-formed event of each type, for the property tests. */
function sampleEvent(type: FilingEventType): FilingEvent {
  const samples: { [T in FilingEventType]: FilingEventOf<T> } = {
    FilingSubmitted: SUBMITTED,
    PlatformReviewStarted: { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 1 } },
    PlatformReviewOverdue: { type: 'PlatformReviewOverdue', data: { dueAt: PLATFORM_REVIEW_DUE.dueAt } },
    PlatformReviewApproved: { type: 'PlatformReviewApproved', data: {} },
    FilingReturnedForCorrection: { type: 'FilingReturnedForCorrection', data: { reasons: '补充材料' } },
    FilingCorrected: { type: 'FilingCorrected', data: { form: appForm, appName: '示例记账' } },
    PlatformReviewRejected: { type: 'PlatformReviewRejected', data: { reasons: '不予通过' } },
    SmsVerificationSent: {
      type: 'SmsVerificationSent',
      data: { challengeId: FIRST_CHALLENGE, round: 1, expiresAt: SMS_EXPIRES_AT },
    },
    SmsVerificationFailed: {
      type: 'SmsVerificationFailed',
      data: { challengeId: FIRST_CHALLENGE, failedAttempts: 1, attemptsLeft: 4 },
    },
    SmsVerificationResent: {
      type: 'SmsVerificationResent',
      data: {
        challengeId: `${FIRST_CHALLENGE}:1`,
        previousChallengeId: FIRST_CHALLENGE,
        trigger: 'requested',
        expiresAt: SMS_EXPIRES_AT,
      },
    },
    SmsVerified: { type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } },
    SmsVerificationExpired: {
      type: 'SmsVerificationExpired',
      data: { challengeId: FIRST_CHALLENGE, expiresAt: SMS_EXPIRES_AT },
    },
    FilingReturnedToPlatform: { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
    FilingResubmitted: { type: 'FilingResubmitted', data: {} },
    BureauReviewStarted: { type: 'BureauReviewStarted', data: { ...BUREAU_REVIEW_DUE, province: '440000' } },
    BureauReviewOverdue: { type: 'BureauReviewOverdue', data: { dueAt: BUREAU_REVIEW_DUE.dueAt } },
    BureauReviewApproved: { type: 'BureauReviewApproved', data: {} },
    BureauReviewRejected: { type: 'BureauReviewRejected', data: { reasons: '不予备案' } },
    BureauReviewReturned: {
      type: 'BureauReviewReturned',
      data: {
        reasons: '请修改后重新提交',
        fieldReasons: [{ path: 'app.name', problem: '应用名称与截图不符', suggestion: '按截图填写' }],
      },
    },
    RegistrationNumberIssued: {
      type: 'RegistrationNumberIssued',
      data: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    },
    RegistrationNumberRefused: {
      type: 'RegistrationNumberRefused',
      data: { refusal: 'subject_not_registered', reasons: '主体备案号不在备案库中' },
    },
    FilingAppliedToRegistry: {
      type: 'FilingAppliedToRegistry',
      data: { subjectNumber: SUBJECT_NUMBER, serviceNumbers: [SERVICE_NUMBER] },
    },
    RegistrationPublished: {
      type: 'RegistrationPublished',
      data: {
        registrationNumber: SERVICE_NUMBER,
        appName: '示例记账',
        serviceType: 'app',
        operatorName: '深圳市示例账本科技有限公司',
        province: '440000',
      },
    },
    ApplicantNotified: { type: 'ApplicantNotified', data: { channels: ['sms'] } },
    FilingWithdrawn: { type: 'FilingWithdrawn', data: {} },
  };
  return samples[type];
}

/** Where each event leads; `same` keeps the status. */
const NEXT_STATUS: Record<FilingEventType, FilingStatus | 'same'> = {
  FilingSubmitted: 'submitted',
  PlatformReviewStarted: 'platform_review',
  PlatformReviewOverdue: 'same',
  PlatformReviewApproved: 'platform_approved',
  FilingReturnedForCorrection: 'returned_for_correction',
  FilingCorrected: 'submitted',
  PlatformReviewRejected: 'rejected',
  SmsVerificationSent: 'sms_verification',
  SmsVerificationFailed: 'same',
  SmsVerificationResent: 'same',
  SmsVerified: 'sms_verified',
  SmsVerificationExpired: 'same',
  FilingReturnedToPlatform: 'returned_to_platform',
  FilingResubmitted: 'submitted',
  BureauReviewStarted: 'bureau_review',
  BureauReviewOverdue: 'same',
  BureauReviewApproved: 'bureau_approved',
  BureauReviewRejected: 'rejected',
  BureauReviewReturned: 'returned_for_correction',
  RegistrationNumberIssued: 'registered',
  RegistrationNumberRefused: 'returned_for_correction',
  FilingAppliedToRegistry: 'registered',
  RegistrationPublished: 'published',
  ApplicantNotified: 'completed',
  FilingWithdrawn: 'withdrawn',
};

/**
 * Steps through `types` from `not_submitted`: each legal event (per LEGAL_TRANSITIONS) must be accepted
 * and lead where NEXT_STATUS says, keeping the submission's facts; each illegal one must throw
 * illegal_transition and leave the state as it was. Returns how many events were accepted.
 */
function walk(types: readonly FilingEventType[]): number {
  let state: FilingState = initialFilingState;
  let accepted = 0;
  types.forEach((type, index) => {
    const [event] = timed([sampleEvent(type)], index);
    if (!event) throw new Error('no event');
    const legal = LEGAL_TRANSITIONS[state.status].includes(type);
    let next: FilingState | undefined;
    const error = errorOf(() => {
      next = evolve(state, event);
    });
    if (!legal) {
      expect(error).toBeInstanceOf(FilingDomainError);
      expect(error).toMatchObject({ code: 'illegal_transition' });
      return;
    }
    expect(error).toBeUndefined();
    if (!next) throw new Error('evolve returned nothing');
    const expected = NEXT_STATUS[type];
    expect(next.status).toBe(expected === 'same' ? state.status : expected);
    if (next.status !== 'not_submitted') {
      expect(next).toMatchObject({
        filingId: SUBMITTED.data.filingId,
        platformId: SUBMITTED.data.platformId,
        province: SUBMITTED.data.province,
        serviceType: SUBMITTED.data.serviceType,
      });
    }
    state = next;
    accepted += 1;
  });
  return accepted;
}

describe('evolve: property', () => {
  const eventType = fc.constantFrom(...FILING_EVENT_TYPES);

  it('accepts exactly what LEGAL_TRANSITIONS allows for random sequences of events', () => {
    fc.assert(
      fc.property(fc.array(eventType, { maxLength: 30 }), (types) => {
        walk(types);
      }),
      { numRuns: 300 },
    );
  });

  it('does the same on long walks that mostly take a legal next event', () => {
    // Each step: pick one of the events legal in the current status, or (1 in 5) any event at all.
    const step = fc.record({ pick: fc.nat({ max: 1000 }), anyType: fc.option(eventType, { freq: 4 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60 }), (steps) => {
        let state: FilingState = initialFilingState;
        const types: FilingEventType[] = [];
        for (const { pick, anyType } of steps) {
          const legal = LEGAL_TRANSITIONS[state.status];
          const type = anyType ?? legal[pick % Math.max(1, legal.length)];
          if (!type) break;
          types.push(type);
          if (legal.includes(type))
            state = evolve(state, { ...sampleEvent(type), metadata: { occurredAt: occurredAtOf(0) } });
        }
        walk(types);
      }),
      { numRuns: 300 },
    );
  });

  it('reaches every status on some walk', () => {
    const reached = new Set<FilingStatus>();
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 20, maxLength: 100 }), (picks) => {
        let state: FilingState = initialFilingState;
        reached.add(state.status);
        for (const pick of picks) {
          const legal = LEGAL_TRANSITIONS[state.status];
          const type = legal[pick % Math.max(1, legal.length)];
          if (!type) break;
          state = evolve(state, { ...sampleEvent(type), metadata: { occurredAt: occurredAtOf(0) } });
          reached.add(state.status);
        }
      }),
      { numRuns: 3000, seed: 20261130 },
    );
    expect([...reached].sort()).toEqual([...STATUSES].sort());
  });
});
