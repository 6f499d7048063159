import type { RegistrationForm } from '../../events/form/registration-form';
import {
  loadValidForm,
  VALID_FORM_FIXTURES,
  type ValidFormFixture,
} from '../../test/fixtures/forms/form-fixtures';
import {
  maskEmail,
  maskPersonName,
  maskRegistrationForm,
  maskToLastFour,
  type MaskedValue,
} from './masked-form';

const fixture = (name: ValidFormFixture) => loadValidForm(name) as unknown as RegistrationForm;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Every string in a JSON value with the key it sits under (array items under their array's key). */
function* strings(value: Json | MaskedValue, key = ''): Generator<[key: string, text: string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const item of value as Json[]) yield* strings(item, key);
  else if (typeof value === 'object' && value !== null)
    for (const [name, inner] of Object.entries(value)) yield* strings(inner as Json, name);
}

/** The personal values of a form, as the platform sent them: what must never come out in clear. */
function personalValues(form: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, text] of strings(form as Json)) {
    if (['idNumber', 'mobile', 'email', 'emergencyContact', 'phone'].includes(key)) found.push(text);
  }
  for (const who of ['operatorPrincipal', 'appPrincipal'] as const) {
    const person = form[who] as { name?: string } | undefined;
    if (person?.name) found.push(person.name);
  }
  const operator = form.operator as { nature?: string; name?: string; address?: string } | undefined;
  if (operator?.nature === 'individual') found.push(operator.name ?? '', operator.address ?? '');
  return found.filter((text) => text !== '');
}

describe('maskRegistrationForm', () => {
  it.each(VALID_FORM_FIXTURES)('leaves no personal value of %s in clear anywhere in the output', (name) => {
    const form = fixture(name);
    const personal = personalValues(form as unknown as Record<string, unknown>);
    expect(personal.length).toBeGreaterThanOrEqual(5);
    const masked = maskRegistrationForm(form);
    const leaks = [...strings(masked)].filter(([, text]) => personal.some((value) => text.includes(value)));
    expect(leaks).toEqual([]);
    // Nor anywhere in the serialised body, keys and all.
    const body = JSON.stringify(masked);
    expect(personal.filter((value) => body.includes(value))).toEqual([]);
  });

  it('masks a person in charge: numbers to their last 4, the e-mail’s mailbox, the name but its first character', () => {
    const masked = maskRegistrationForm(fixture('valid-app'));
    expect(masked.appPrincipal).toEqual({
      name: '李*',
      idType: 'resident_id',
      idNumber: '**************0043',
      idValidUntil: '2036-08-01',
      mobile: '**********9000',
      email: '****@example.com',
      emergencyContact: '*******7000',
    });
    expect(masked.operatorPrincipal).toMatchObject({
      name: '张*',
      idNumber: '**************0036',
      mobile: '*******8000',
      email: '********@example.com',
      emergencyContact: '*********0000',
    });
  });

  it('keeps what the reviewer needs: the organisation, the app and its access details, in clear', () => {
    const form = fixture('valid-app');
    const masked = maskRegistrationForm(form);
    expect(masked.operator).toEqual(form.operator);
    expect(masked.app).toEqual(form.app);
    expect(masked.access).toEqual(form.access);
    expect(masked.serviceType).toBe('app');
  });

  it('masks an individual operator’s name, ID number and address, keeping province and city', () => {
    const form = fixture('valid-mini-program');
    const masked = maskRegistrationForm(form);
    expect(masked.operator).toEqual({
      nature: 'individual',
      name: '王*',
      idNumber: '**************0020',
      province: '510000',
      city: '成都市',
      address: expect.stringMatching(/^\*+$/),
    });
    expect(masked.app).toEqual(form.app);
  });

  it('keeps an existing subject number and does not change the form it was given', () => {
    const form = fixture('valid-existing-subject');
    const before = structuredClone(form);
    const masked = maskRegistrationForm(form);
    expect(form).toEqual(before);
    expect(masked.existingSubjectNumber).toBe(form.existingSubjectNumber);
  });

  it('keeps an organisation’s certificate in clear and masks an individual’s resident ID', () => {
    const organisation = fixture('valid-existing-subject');
    expect(maskRegistrationForm(organisation).operatorCertificate).toEqual(organisation.operatorCertificate);
    const individual = fixture('valid-existing-subject');
    Object.assign(individual, { operatorCertificate: { type: 'resident_id', number: '510107199004180020' } });
    expect(maskRegistrationForm(individual).operatorCertificate).toEqual({
      type: 'resident_id',
      number: '**************0020',
    });
  });

  it('masks short and odd values whole rather than leave them readable', () => {
    expect(maskToLastFour('1234')).toBe('****');
    expect(maskToLastFour('12345')).toBe('*2345');
    expect(maskEmail('no-at-sign-here')).toBe('***********here');
    expect(maskEmail('@example.com')).toBe('*@example.com');
    expect(maskPersonName('王')).toBe('*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧***');
  });
});
