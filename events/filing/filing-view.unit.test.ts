import {
  loadValidForm,
  VALID_FORM_FIXTURES,
  type ValidFormFixture,
} from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import { domicileProvinceOf } from '../form/domicile-province';
import type { ProvinceCode } from '../provinces';
import {
  FIRST_CHALLENGE,
  historiesByStatus,
  PLATFORM_REVIEW_DUE,
  SERVICE_NUMBER,
  SMS_EXPIRES_AT,
  timed,
} from '../../test/support/decider-spec';
import { EMPTY_STREAM } from './envelope';
import { evolve } from './evolve';
import type { FilingEvent, FilingEventOf } from './filing-events';
import { type FilingState, initialFilingState } from './filing-state';
import { filingStandingOf, filingStatusView } from './filing-view';

const FILING_ID = 'filing-0001';

function validatedForm(name: ValidFormFixture): RegistrationForm {
  const result = validateRegistrationForm(loadValidForm(name), { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`fixture ${name} does not validate`);
  return result.value;
}

function submittedEvent(form: RegistrationForm): FilingEventOf<'FilingSubmitted'> {
  return {
    type: 'FilingSubmitted',
    data: {
      filingId: FILING_ID,
      platformId: 'wechat',
      province: domicileProvinceOf(form).code as ProvinceCode,
      serviceType: form.serviceType,
      appName: form.app.name,
      form,
    },
  };
}

/** The personal data a form holds: ID numbers (and their last six characters), mobiles, emails. */
function personalDataOf(form: RegistrationForm): string[] {
  const people = [form.operatorPrincipal, form.appPrincipal].filter((person) => person !== undefined);
  const secrets = people.flatMap((person) => [
    person.idNumber,
    person.idNumber.slice(-6),
    person.mobile,
    person.mobile.replace(/^\+86/, ''),
    person.email,
    ...(person.emergencyContact ? [person.emergencyContact] : []),
  ]);
  if (form.operator?.nature === 'individual') secrets.push(form.operator.idNumber);
  return [...new Set(secrets)];
}

/** One long history through every stage: a correction, a failed and an expired SMS round, overdue reviews. */
function longHistory(submitted: FilingEventOf<'FilingSubmitted'>): FilingEvent[] {
  const happy = historiesByStatus(submitted).completed;
  const platformApprovedAt = happy.findIndex((event) => event.type === 'PlatformReviewApproved');
  const detour: FilingEvent[] = [
    { type: 'PlatformReviewOverdue', data: { dueAt: PLATFORM_REVIEW_DUE.dueAt } },
    { type: 'FilingReturnedForCorrection', data: { reasons: '截图不清晰' } },
    { type: 'FilingCorrected', data: { form: submitted.data.form, appName: submitted.data.appName } },
    { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 2 } },
    { type: 'PlatformReviewApproved', data: {} },
    {
      type: 'SmsVerificationSent',
      data: { challengeId: FIRST_CHALLENGE, round: 1, expiresAt: SMS_EXPIRES_AT },
    },
    ...[1, 2, 3, 4, 5].map((failedAttempts): FilingEvent => ({
      type: 'SmsVerificationFailed',
      data: { challengeId: FIRST_CHALLENGE, failedAttempts, attemptsLeft: 5 - failedAttempts },
    })),
    { type: 'FilingReturnedToPlatform', data: { reason: 'sms_attempts_exhausted' } },
    { type: 'FilingResubmitted', data: {} },
    { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 3 } },
  ];
  const rest = happy
    .slice(platformApprovedAt)
    .map((event) =>
      event.type === 'SmsVerificationSent'
        ? { ...event, data: { ...event.data, challengeId: 'sms-challenge-2', round: 2 } }
        : event.type === 'SmsVerified'
          ? { ...event, data: { challengeId: 'sms-challenge-2' } }
          : event,
    );
  const bureauStartedAt = rest.findIndex((event) => event.type === 'BureauReviewStarted');
  return [
    ...happy.slice(0, platformApprovedAt),
    ...detour,
    ...rest.slice(0, bureauStartedAt + 1),
    { type: 'BureauReviewOverdue', data: { dueAt: '2026-12-28T16:00:00.000Z' } },
    ...rest.slice(bureauStartedAt + 1),
  ];
}

/** Every state on the way through `history`, with the stream revision it was read at. */
function statesAlong(history: readonly FilingEvent[]): Array<{ state: FilingState; revision: number }> {
  const states = [{ state: initialFilingState, revision: EMPTY_STREAM.revision }];
  timed(history).reduce((state, event, seq) => {
    const next = evolve(state, event);
    states.push({ state: next, revision: seq });
    return next;
  }, initialFilingState);
  return states;
}

describe.each(VALID_FORM_FIXTURES)('filingStatusView of a filing with form %s', (fixture) => {
  const form = validatedForm(fixture);
  const submitted = submittedEvent(form);
  const secrets = personalDataOf(form);
  const histories = [longHistory(submitted), ...Object.values(historiesByStatus(submitted))];
  const states = histories.flatMap(statesAlong);

  it('knows personal data to look for, and every state holds it', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const submittedStates = states.filter(({ state }) => state.status !== 'not_submitted');
    expect(new Set(submittedStates.map(({ state }) => state.status)).size).toBe(14);
    for (const { state } of submittedStates) {
      const json = JSON.stringify(state);
      for (const secret of secrets) expect(json).toContain(secret);
    }
  });

  it('shows none of it, in any state', () => {
    const leaks = states.flatMap(({ state, revision }) => {
      const json = JSON.stringify(filingStatusView(FILING_ID, state, { revision, lastHash: 'h' }));
      return secrets.filter((secret) => json.includes(secret)).map((secret) => `${state.status}: ${secret}`);
    });
    expect(leaks).toEqual([]);
  });

  it('says where the filing stands as filingStandingOf does: the view without what the filing is about', () => {
    for (const { state, revision } of states) {
      const view = filingStatusView(FILING_ID, state, { revision, lastHash: 'h' });
      const {
        filingId,
        revision: _revision,
        kind: _kind,
        target: _target,
        serviceType,
        province,
        appName,
        platformId,
        ...standing
      } = view;
      expect({
        filingId,
        facts: [serviceType, province, appName, platformId].filter(Boolean).length,
      }).toEqual({
        filingId: FILING_ID,
        facts: state.status === 'not_submitted' ? 0 : 4,
      });
      expect(filingStandingOf(state)).toStrictEqual(standing);
    }
  });

  it('says the bureau returned a filing, with its explanation and per-field reasons', () => {
    const fieldReasons = [{ path: 'app.name', problem: '名称与截图不符', suggestion: '按截图填写' }];
    const history: FilingEvent[] = [
      ...historiesByStatus(submitted).bureau_review,
      { type: 'BureauReviewReturned', data: { reasons: '请修改后重新提交', fieldReasons } },
    ];
    const state = timed(history).reduce(evolve, initialFilingState);
    expect(filingStatusView(FILING_ID, state, { revision: history.length - 1, lastHash: 'h' })).toMatchObject(
      {
        status: 'returned_for_correction',
        stage: 'platform_review',
        returnedBy: 'bureau',
        reasons: '请修改后重新提交',
        fieldReasons,
      },
    );
  });

  it('still shows what the filing is and where it stands', () => {
    const completed = statesAlong(historiesByStatus(submitted).completed).at(-1);
    if (!completed) throw new Error('no states');
    expect(
      filingStatusView(FILING_ID, completed.state, { revision: completed.revision, lastHash: 'h' }),
    ).toEqual({
      filingId: FILING_ID,
      status: 'completed',
      stage: 'closed',
      kind: 'new_registration',
      serviceType: form.serviceType,
      province: submitted.data.province,
      appName: form.app.name,
      platformId: 'wechat',
      registrationNumber: SERVICE_NUMBER,
      overdue: false,
      revision: completed.revision,
    });
  });
});
