import { loadValidForm, VALID_FORM_FIXTURES } from '../../test/fixtures/forms/form-fixtures';
import { deleteAt, setAt } from '../../test/fixtures/forms/invalid-form-variants';
import type { FormIssue } from './schema/form-issues';
import { validateRegistrationForm } from './validate-form';

const submittedOn = '2025-06-01';
const validate = (input: unknown, on = submittedOn) => validateRegistrationForm(input, { submittedOn: on });
const pathsAndRules = (issues: readonly FormIssue[]) => issues.map(({ path, rule }) => ({ path, rule }));

function errorsOf(input: unknown, on = submittedOn): readonly FormIssue[] {
  const result = validate(input, on);
  return result.ok ? [] : result.errors;
}

describe('validateRegistrationForm on the valid fixtures', () => {
  it.each(VALID_FORM_FIXTURES.map((name) => [name]))('accepts %s with no warnings', (name) => {
    const form = loadValidForm(name);
    const result = validate(form);
    expect(result).toEqual({ ok: true, value: form, warnings: [] });
  });

  it('returns a fresh copy, not the input', () => {
    const form = loadValidForm('valid-app');
    const result = validate(form);
    if (!result.ok) throw new Error('valid-app should be valid');
    expect(result.value).not.toBe(form);
    expect(result.value.app).not.toBe(form['app']);
  });

  it('narrows the value by service type', () => {
    const result = validate(loadValidForm('valid-mini-program'));
    if (!result.ok || result.value.serviceType !== 'mini_program') throw new Error('expected a mini program');
    expect(result.value.app.miniProgramId).toBe('wx3f8a6c2d9e1b4a70');
  });

  it('accepts the subject sections beside an existing subject number, and checks them', () => {
    const withSubject = { ...loadValidForm('valid-app'), existingSubjectNumber: '粤ICP备2021012345号' };
    expect(validate(withSubject).ok).toBe(true);
    setAt(withSubject, 'operator.province', '990000');
    expect(pathsAndRules(errorsOf(withSubject))).toEqual([
      { path: 'operator.province', rule: 'unknown_province' },
    ]);
  });

  it('accepts older 8-digit subject numbers and the variant abbreviations', () => {
    for (const number of ['京ICP备05012345号', '蜀ICP备2020000001号', '川ICP备2020000001号']) {
      expect(validate({ ...loadValidForm('valid-existing-subject'), existingSubjectNumber: number }).ok).toBe(
        true,
      );
    }
  });
});

describe('every problem at once', () => {
  it('reports problems from all sections in one result, in form order', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'operator.creditCode', '91440300MA5G2K8L30');
    setAt(form, 'operatorPrincipal.email', 'not-an-email');
    setAt(form, 'appPrincipal.idNumber', '110105199207150053');
    setAt(form, 'appPrincipal.idValidUntil', '2025-06-15');
    setAt(form, 'app.platforms.1.signatureSha1', 'abc');
    setAt(form, 'app.hostApp', '微信');
    setAt(form, 'access.ipAddresses.1', '10.0.0.1');
    setAt(form, 'surprise', true);
    const result = validate(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(pathsAndRules(result.errors)).toEqual([
      { path: 'operatorPrincipal.email', rule: 'email_format' },
      { path: 'appPrincipal.idValidUntil', rule: 'id_expires_too_soon' },
      { path: 'appPrincipal.idNumber', rule: 'resident_id_checksum' },
      { path: 'app.platforms.1.signatureSha1', rule: 'sha1_format' },
      { path: 'access.ipAddresses.1', rule: 'ip_not_public' },
      { path: 'surprise', rule: 'unknown_field' },
      { path: 'app.hostApp', rule: 'forbidden_for_service_type' },
    ]);
    expect(pathsAndRules(result.warnings)).toEqual([
      { path: 'operator.creditCode', rule: 'credit_code_checksum' },
    ]);
  });

  it('reports every broken check of one ID number', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'appPrincipal.idNumber', '990105199202300041');
    expect(errorsOf(form).map((issue) => issue.rule)).toEqual([
      'resident_id_region',
      'resident_id_birth_date',
      'resident_id_checksum',
    ]);
  });

  it('still applies cross-field rules when a section has shape errors', () => {
    const form = loadValidForm('valid-mini-program');
    setAt(form, 'app.name', 42);
    setAt(form, 'app.platforms', 'android');
    expect(pathsAndRules(errorsOf(form))).toEqual([
      { path: 'app.name', rule: 'type' },
      { path: 'app.platforms', rule: 'type' },
      { path: 'app.platforms', rule: 'forbidden_for_service_type' },
    ]);
  });
});

describe('inputs that are not a form', () => {
  it.each([null, 42, 'form', true, [], [{}]])('reports %p as a type error at $', (input) => {
    expect(pathsAndRules(errorsOf(input))).toEqual([{ path: '$', rule: 'type' }]);
  });

  it('reports every missing section of an empty object', () => {
    expect(pathsAndRules(errorsOf({}))).toEqual([
      { path: 'serviceType', rule: 'required' },
      { path: 'appPrincipal', rule: 'required' },
      { path: 'app', rule: 'required' },
      { path: 'access', rule: 'required' },
      { path: 'operator', rule: 'required' },
      { path: 'operatorPrincipal', rule: 'required' },
    ]);
  });

  it('reports a __proto__ key as an unknown field and does not copy it', () => {
    const form = JSON.parse(
      `{"__proto__": {"polluted": true}, ${JSON.stringify(loadValidForm('valid-app')).slice(1)}`,
    );
    expect(pathsAndRules(errorsOf(form))).toEqual([{ path: '__proto__', rule: 'unknown_field' }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('treats null like an absent optional field', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'appPrincipal.emergencyContact', null);
    const result = validate(form);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.appPrincipal).not.toHaveProperty('emergencyContact');
  });

  it('does not examine list items past the limit', () => {
    const form = loadValidForm('valid-app');
    setAt(
      form,
      'app.domains',
      Array.from({ length: 10_000 }, () => 'not a domain'),
    );
    const errors = errorsOf(form);
    expect(errors).toContainEqual(expect.objectContaining({ path: 'app.domains', rule: 'too_many' }));
    expect(errors).toHaveLength(51);
  });
});

describe('length limits', () => {
  it('count characters, not UTF-16 units', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'app.name', '记'.repeat(64));
    expect(validate(form).ok).toBe(true);
    setAt(form, 'app.name', '𠀀'.repeat(64));
    expect(validate(form).ok).toBe(true);
    setAt(form, 'app.name', '𠀀'.repeat(65));
    expect(pathsAndRules(errorsOf(form))).toEqual([{ path: 'app.name', rule: 'too_long' }]);
  });
});

describe('ID document validity, counted from the submission date', () => {
  const formValidUntil = (date: string) => {
    const form = loadValidForm('valid-app');
    setAt(form, 'appPrincipal.idValidUntil', date);
    return form;
  };

  it('accepts a document valid exactly one month after submission', () => {
    expect(validate(formValidUntil('2025-07-01')).ok).toBe(true);
    expect(validate(formValidUntil('2024-02-29'), '2024-01-31').ok).toBe(true);
  });

  it('refuses one that ends a day earlier', () => {
    expect(pathsAndRules(errorsOf(formValidUntil('2025-06-30')))).toEqual([
      { path: 'appPrincipal.idValidUntil', rule: 'id_expires_too_soon' },
    ]);
    expect(errorsOf(formValidUntil('2024-02-28'), '2024-01-31')).toHaveLength(1);
  });

  it('accepts long-term documents whatever the date', () => {
    expect(validate(formValidUntil('long-term'), '2041-01-01').ok).toBe(true);
  });

  it('uses the given date, not the clock', () => {
    expect(validate(formValidUntil('2030-01-01'), '2029-11-30').ok).toBe(true);
    expect(validate(formValidUntil('2030-01-01'), '2029-12-15').ok).toBe(false);
  });
});

describe('fields that depend on other fields', () => {
  it('lets an operator with a subject number omit both subject sections if it names its certificate', () => {
    const form = loadValidForm('valid-app');
    deleteAt(form, 'operator');
    deleteAt(form, 'operatorPrincipal');
    setAt(form, 'existingSubjectNumber', '粤ICP备2021012345号');
    expect(pathsAndRules(errorsOf(form))).toEqual([{ path: 'operatorCertificate', rule: 'required' }]);
    setAt(form, 'operatorCertificate', { type: 'uscc', number: '91440300MA5G2K8L3X' });
    expect(validate(form).ok).toBe(true);
  });

  it('accepts a certificate beside the operator section when both name the same operator', () => {
    const organisation = { ...loadValidForm('valid-app'), existingSubjectNumber: '粤ICP备2021012345号' };
    setAt(organisation, 'operatorCertificate', { type: 'uscc', number: '91440300MA5G2K8L3X' });
    expect(validate(organisation).ok).toBe(true);
    const individual = {
      ...loadValidForm('valid-mini-program'),
      existingSubjectNumber: '川ICP备2021012345号',
    };
    setAt(individual, 'operatorCertificate', { type: 'resident_id', number: '510107199004180020' });
    expect(validate(individual).ok).toBe(true);
    setAt(individual, 'operatorCertificate', { type: 'resident_id', number: '440305198503120036' });
    expect(pathsAndRules(errorsOf(individual))).toEqual([
      { path: 'operatorCertificate', rule: 'operator_certificate_mismatch' },
    ]);
  });

  it('checks a resident-ID certificate as a resident ID', () => {
    const form = loadValidForm('valid-existing-subject');
    setAt(form, 'operatorCertificate', { type: 'resident_id', number: '310104199001011235' });
    expect(pathsAndRules(errorsOf(form))).toEqual([
      { path: 'operatorCertificate.number', rule: 'resident_id_checksum' },
    ]);
    setAt(form, 'operatorCertificate', { type: 'passport', number: 'E12345678' });
    expect(pathsAndRules(errorsOf(form))).toEqual([
      { path: 'operatorCertificate.type', rule: 'invalid_choice' },
    ]);
  });

  it('requires nothing of the app fields when the service type itself is wrong', () => {
    const form = loadValidForm('valid-mini-program');
    setAt(form, 'serviceType', 'website');
    expect(pathsAndRules(errorsOf(form))).toEqual([{ path: 'serviceType', rule: 'invalid_choice' }]);
  });

  it('checks a HarmonyOS platform like an Android one', () => {
    const form = loadValidForm('valid-app');
    deleteAt(form, 'app.platforms.2.signatureMd5');
    setAt(form, 'app.platforms.2.signatureSha1', 'A'.repeat(40));
    expect(pathsAndRules(errorsOf(form))).toEqual([
      { path: 'app.platforms.2.signatureMd5', rule: 'required' },
      { path: 'app.platforms.2.signatureSha1', rule: 'forbidden_for_os' },
    ]);
  });

  it('accepts preApprovals "none" and lists of approvals, not an empty list', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'app.preApprovals', []);
    expect(pathsAndRules(errorsOf(form))).toEqual([{ path: 'app.preApprovals', rule: 'too_few' }]);
  });

  it('checks other document types by their own shape', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'appPrincipal.idType', 'passport');
    setAt(form, 'appPrincipal.idNumber', 'E12345678');
    setAt(form, 'operatorPrincipal.idType', 'foreign_permanent_residence');
    setAt(form, 'operatorPrincipal.idNumber', 'USA123456789012');
    expect(validate(form).ok).toBe(true);
  });
});

describe('messages', () => {
  it('never repeat the personal data they are about', () => {
    const form = loadValidForm('valid-app');
    setAt(form, 'appPrincipal.idNumber', '110105199207150053');
    setAt(form, 'appPrincipal.mobile', '139001390001');
    setAt(form, 'appPrincipal.email', 'lisi-at-example.com');
    setAt(form, 'appPrincipal.emergencyContact', '13900139abc');
    setAt(form, 'operator.creditCode', '91440300MA5G2K8L30');
    const result = validate(form);
    if (result.ok) throw new Error('expected errors');
    const text = [...result.errors, ...result.warnings].map((issue) => issue.message).join('\n');
    for (const value of [
      '110105199207150053',
      '139001390001',
      'lisi-at-example.com',
      '13900139abc',
      '91440300MA5G2K8L30',
    ]) {
      expect(text).not.toContain(value);
    }
    expect(result.errors).toHaveLength(4);
  });
});

describe('the submission date', () => {
  it.each(['', '2025-02-30', '01/06/2025', 'today'])('must be a real YYYY-MM-DD date, not %p', (date) => {
    expect(() => validate(loadValidForm('valid-app'), date)).toThrow(RangeError);
  });
});
