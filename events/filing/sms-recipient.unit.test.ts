import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import type { FilingFacts } from './filing-state';
import { idLast6Of, smsRecipientOf } from './sms-recipient';

function formOf(name: 'valid-app' | 'valid-existing-subject'): RegistrationForm {
  const result = validateRegistrationForm(loadValidForm(name), { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`${name} does not validate`);
  return result.value;
}

const form = formOf('valid-app');
const SUBJECT = '粤ICP备2026000123号';
const facts = (over: Partial<Pick<FilingFacts, 'kind' | 'target' | 'form'>>) => ({
  kind: 'new_registration' as const,
  form,
  ...over,
});

describe('smsRecipientOf', () => {
  it('is the app’s principal for a new registration', () => {
    expect(smsRecipientOf(facts({}))).toBe(form.appPrincipal);
  });

  it('is the subject’s principal for a subject cancellation', () => {
    expect(smsRecipientOf(facts({ kind: 'cancellation', target: { subjectNumber: SUBJECT } }))).toBe(
      form.operatorPrincipal,
    );
  });

  it('is the app’s principal for a service cancellation', () => {
    const target = { subjectNumber: SUBJECT, serviceNumber: `${SUBJECT}-1A` };
    expect(smsRecipientOf(facts({ kind: 'cancellation', target }))).toBe(form.appPrincipal);
  });

  it('is the subject’s principal for a change altering the subject, the app’s for a service change', () => {
    const target = { subjectNumber: SUBJECT, serviceNumber: `${SUBJECT}-1A` };
    expect(
      smsRecipientOf(
        facts({ kind: 'change', target: { ...target, alters: { subject: true, service: true } } }),
      ),
    ).toBe(form.operatorPrincipal);
    expect(
      smsRecipientOf(
        facts({ kind: 'change', target: { ...target, alters: { subject: false, service: true } } }),
      ),
    ).toBe(form.appPrincipal);
  });

  it('is the app’s principal for a new access', () => {
    const target = { subjectNumber: SUBJECT, serviceNumber: `${SUBJECT}-1A` };
    expect(smsRecipientOf(facts({ kind: 'new_access', target }))).toBe(form.appPrincipal);
  });

  it('falls back to the app’s principal when the form leaves the subject’s principal out', () => {
    const { operatorPrincipal: _left, ...rest } = formOf('valid-existing-subject') as RegistrationForm & {
      operatorPrincipal?: unknown;
    };
    const without = rest as RegistrationForm;
    expect(smsRecipientOf({ kind: 'cancellation', target: { subjectNumber: SUBJECT }, form: without })).toBe(
      without.appPrincipal,
    );
  });

  it('takes the second factor from the same person', () => {
    const subject = smsRecipientOf(facts({ kind: 'cancellation', target: { subjectNumber: SUBJECT } }));
    expect(idLast6Of(subject)).toBe(form.operatorPrincipal?.idNumber.slice(-6).toUpperCase());
    expect(idLast6Of(subject)).not.toBe(idLast6Of(form.appPrincipal));
  });
});
