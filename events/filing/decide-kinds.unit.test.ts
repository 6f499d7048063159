import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import {
  given,
  historiesByStatus,
  SERVICE_NUMBER,
  stateAfter,
  SUBJECT_NUMBER,
} from '../../test/support/decider-spec';
import { validateRegistrationForm } from '../form/validate-form';
import { type Actor, SYSTEM_ACTOR } from './actor';
import { decide } from './decide';
import type { FilingCommand } from './filing-commands';
import type { FilingEventOf } from './filing-events';
import type { FilingTarget, RegistrationFilingKind } from './filing-kind';

const SUBMITTED_ON = '2026-11-30';
const FILING_ID = 'filing-change-1';
const PLATFORM: Actor = { role: 'platform', id: 'reviewer-7', platformId: 'wechat' };

const validated = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: SUBMITTED_ON });
if (!validated.ok) throw new Error('valid-app does not validate');
const appForm = validated.value;

const SERVICE_TARGET: FilingTarget = {
  subjectNumber: SUBJECT_NUMBER,
  serviceNumber: SERVICE_NUMBER,
  alters: { subject: false, service: true },
  baseFilingId: 'filing-0001',
};

const submit = (kind?: unknown, target?: unknown): FilingCommand =>
  ({
    type: 'SubmitFiling',
    actor: PLATFORM,
    filingId: FILING_ID,
    form: loadValidForm('valid-app'),
    submittedOn: SUBMITTED_ON,
    ...(kind !== undefined && { kind }),
    ...(target !== undefined && { target }),
  }) as FilingCommand;

const submittedAs = (
  kind?: RegistrationFilingKind,
  target?: FilingTarget,
): FilingEventOf<'FilingSubmitted'> => ({
  type: 'FilingSubmitted',
  data: {
    filingId: FILING_ID,
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form: appForm,
    ...(kind && { kind }),
    ...(target && { target }),
  },
});

const CHANGE = historiesByStatus(submittedAs('change', SERVICE_TARGET));
const NEW = historiesByStatus(submittedAs());
const apply: FilingCommand = {
  type: 'ApplyToRegistry',
  actor: SYSTEM_ACTOR,
  subjectNumber: SUBJECT_NUMBER,
  serviceNumbers: [SERVICE_NUMBER],
};

describe('SubmitFiling with a kind', () => {
  it('records a change with its target', () => {
    given().when(submit('change', SERVICE_TARGET)).then(submittedAs('change', SERVICE_TARGET));
  });

  it('records a new registration without kind or target, as before kinds existed', () => {
    given().when(submit('new_registration')).then(submittedAs());
  });

  it('records a subject cancellation: a target without a service', () => {
    given()
      .when(submit('cancellation', { subjectNumber: SUBJECT_NUMBER }))
      .then(submittedAs('cancellation', { subjectNumber: SUBJECT_NUMBER }));
  });

  it('records only the target’s known fields, and no alters outside a change', () => {
    given()
      .when(
        submit('new_access', {
          ...SERVICE_TARGET,
          extra: 'dropped',
          alters: { subject: true, service: true },
        }),
      )
      .then(
        submittedAs('new_access', {
          subjectNumber: SUBJECT_NUMBER,
          serviceNumber: SERVICE_NUMBER,
          baseFilingId: 'filing-0001',
        }),
      );
  });

  it.each(['change', 'cancellation', 'new_access'])('refuses a %s without a target', (kind) => {
    given().when(submit(kind)).thenThrows('invalid_command', { field: 'target', rule: 'required' });
  });

  it('refuses a target on a new registration', () => {
    given()
      .when(submit(undefined, SERVICE_TARGET))
      .thenThrows('invalid_command', { field: 'target', rule: 'absent' });
  });

  it('records a cancellation’s reasons, trimmed', () => {
    const target = { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER };
    given()
      .when({ ...submit('cancellation', target), reasons: ' 应用下线 ' } as FilingCommand)
      .then({
        ...submittedAs('cancellation', target),
        data: { ...submittedAs('cancellation', target).data, reasons: '应用下线' },
      });
  });

  it('refuses reasons on a new registration', () => {
    given()
      .when({ ...submit(), reasons: '理由' } as FilingCommand)
      .thenThrows('invalid_command', { field: 'reasons', rule: 'absent' });
  });

  it('refuses an unknown kind', () => {
    given()
      .when(submit('renewal', SERVICE_TARGET))
      .thenThrows('invalid_command', { field: 'kind', rule: 'one_of' });
  });

  it.each(['change', 'new_access'])('refuses a %s naming no service', (kind) => {
    given()
      .when(submit(kind, { subjectNumber: SUBJECT_NUMBER, alters: { subject: true, service: false } }))
      .thenThrows('invalid_command', { field: 'target.serviceNumber', rule: 'required' });
  });

  it('refuses a target without a subject number', () => {
    given()
      .when(submit('cancellation', { serviceNumber: SERVICE_NUMBER }))
      .thenThrows('invalid_command', { field: 'target.subjectNumber', rule: 'required' });
  });

  it('refuses a change that says it alters nothing', () => {
    given()
      .when(submit('change', { ...SERVICE_TARGET, alters: { subject: false, service: false } }))
      .thenThrows('invalid_command', { field: 'target.alters', rule: 'no_difference' });
  });

  it('refuses a change that does not say what it alters', () => {
    const { alters: _none, ...target } = SERVICE_TARGET;
    given()
      .when(submit('change', target))
      .thenThrows('invalid_command', { field: 'target.alters', rule: 'required' });
  });

  it('keeps kind and target in the state through the process', () => {
    const state = stateAfter(...CHANGE.bureau_approved);
    expect(state).toMatchObject({ status: 'bureau_approved', kind: 'change', target: SERVICE_TARGET });
  });
});

describe('ApplyToRegistry', () => {
  it('records the registry’s update once the bureau approved a change', () => {
    given(...CHANGE.bureau_approved)
      .when(apply)
      .then({
        type: 'FilingAppliedToRegistry',
        data: { subjectNumber: SUBJECT_NUMBER, serviceNumbers: [SERVICE_NUMBER] },
      });
  });

  it('registers the change under the number it targets, then publishes and completes as usual', () => {
    const applied = decide(apply, stateAfter(...CHANGE.bureau_approved));
    const registered = stateAfter(...CHANGE.bureau_approved, ...applied);
    expect(registered).toMatchObject({
      status: 'registered',
      subjectNumber: SUBJECT_NUMBER,
      serviceNumber: SERVICE_NUMBER,
    });
    const published = decide({ type: 'PublishRegistration', actor: SYSTEM_ACTOR }, registered);
    expect(published).toEqual([
      {
        type: 'RegistrationPublished',
        data: {
          registrationNumber: SERVICE_NUMBER,
          appName: '示例记账',
          serviceType: 'app',
          operatorName: appForm.operator?.name,
          province: '440000',
        },
      },
    ]);
    const notified = decide(
      { type: 'NotifyApplicant', actor: SYSTEM_ACTOR, channels: ['sms'] },
      stateAfter(...CHANGE.bureau_approved, ...applied, ...published),
    );
    expect(stateAfter(...CHANGE.bureau_approved, ...applied, ...published, ...notified).status).toBe(
      'completed',
    );
  });

  it('registers a subject cancellation under the subject’s number', () => {
    const history = historiesByStatus(submittedAs('cancellation', { subjectNumber: SUBJECT_NUMBER }));
    const state = stateAfter(
      ...history.bureau_approved,
      ...decide(
        { ...apply, serviceNumbers: [SERVICE_NUMBER, `${SUBJECT_NUMBER}-2`] } as FilingCommand,
        stateAfter(...history.bureau_approved),
      ),
    );
    expect(state).toMatchObject({ status: 'registered', serviceNumber: SUBJECT_NUMBER });
  });

  it('is refused for a new registration', () => {
    given(...NEW.bureau_approved)
      .when(apply)
      .thenThrows('invalid_command', { field: 'kind' });
  });

  it('is refused before the bureau approved', () => {
    given(...CHANGE.bureau_review)
      .when(apply)
      .thenThrows('wrong_stage', { status: 'bureau_review' });
  });

  it('is refused from any role but the system', () => {
    given(...CHANGE.bureau_approved)
      .when({ ...apply, actor: PLATFORM } as FilingCommand)
      .thenThrows('forbidden_role');
  });

  it('is refused when the registry names no subject', () => {
    given(...CHANGE.bureau_approved)
      .when({ ...apply, subjectNumber: ' ' } as FilingCommand)
      .thenThrows('invalid_command', { field: 'subjectNumber', rule: 'required' });
  });
});

describe('IssueRegistrationNumber for the other kinds', () => {
  it('is refused for a change: its numbers exist already', () => {
    given(...CHANGE.bureau_approved)
      .when({
        type: 'IssueRegistrationNumber',
        actor: SYSTEM_ACTOR,
        subjectNumber: SUBJECT_NUMBER,
        serviceNumber: SERVICE_NUMBER,
      })
      .thenThrows('invalid_command', { field: 'kind' });
  });

  it('lets the registry’s refusal return the change for correction', () => {
    given(...CHANGE.bureau_approved)
      .when({
        type: 'RefuseRegistrationNumber',
        actor: SYSTEM_ACTOR,
        refusal: 'registry_changed',
        reasons: '该服务已注销',
      })
      .then({
        type: 'RegistrationNumberRefused',
        data: { refusal: 'registry_changed', reasons: '该服务已注销' },
      });
    const state = stateAfter(...CHANGE.bureau_approved, {
      type: 'RegistrationNumberRefused',
      data: { refusal: 'registry_changed', reasons: '该服务已注销' },
    });
    expect(state).toMatchObject({ status: 'returned_for_correction', kind: 'change' });
  });
});

describe('CorrectFiling of a filing of another kind', () => {
  const returned = [
    ...CHANGE.bureau_approved,
    {
      type: 'RegistrationNumberRefused',
      data: { refusal: 'registry_changed', reasons: '该服务已变更' },
    } as const,
  ];
  const correct = (change: (form: Record<string, Record<string, unknown>>) => void): FilingCommand => {
    const form = loadValidForm('valid-app') as Record<string, Record<string, unknown>>;
    change(form);
    return { type: 'CorrectFiling', actor: PLATFORM, form, correctedOn: SUBMITTED_ON };
  };

  it('keeps the operator’s certificate: the registration it targets is that certificate’s', () => {
    given(...returned)
      .when(correct((form) => (form.operator = { ...form.operator, creditCode: '91110108MA01KPGK0L' })))
      .thenThrows('invalid_command', { field: 'form', rule: 'immutable_on_change' });
  });

  it('takes any other correction', () => {
    given(...returned)
      .when(correct((form) => (form.app = { ...form.app, name: '示例记账 Pro' })))
      .then({
        type: 'FilingCorrected',
        data: {
          form: { ...appForm, app: { ...appForm.app, name: '示例记账 Pro' } } as unknown as typeof appForm,
          appName: '示例记账 Pro',
        },
      });
  });
});
