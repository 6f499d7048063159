import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { FORM_RULE_CODES, FORM_RULES, isFormRule, severityOf } from './form-rules';
import type {
  Access,
  AppDetails,
  MiniProgramDetails,
  Operator,
  QuickAppDetails,
  Platform,
  PreApproval,
  Principal,
  RegistrationForm,
  Sdk,
} from './registration-form';
import type { RegistrationFormShape } from './registration-form.schema';
import { validateRegistrationForm } from './validate-form';

/**
 * Compile-time guard: every `RegistrationForm` fits the shape the schema declares, so a field added
 * to the type but not to the schema (or typed differently) fails type-checking here.
 */
const fitsSchema = (form: RegistrationForm): RegistrationFormShape => form;

/** Keys a type has and the schema lacks (assignability alone lets extra keys through). */
type ExtraKeys<T, S> = T extends unknown ? Exclude<keyof T, keyof S> : never;
type ExpectNone<T extends never> = T;
type Shape = RegistrationFormShape;
type AppShape = Shape['app'];

/** Fails to compile when a section of the type has a field the schema does not declare. */
export type TypeHasNoFieldTheSchemaLacks = [
  ExpectNone<ExtraKeys<RegistrationForm, Shape>>,
  ExpectNone<ExtraKeys<Operator, NonNullable<Shape['operator']>>>,
  ExpectNone<ExtraKeys<Principal, Shape['appPrincipal']>>,
  ExpectNone<ExtraKeys<AppDetails | MiniProgramDetails | QuickAppDetails, AppShape>>,
  ExpectNone<ExtraKeys<Platform, NonNullable<AppShape['platforms']>[number]>>,
  ExpectNone<ExtraKeys<Sdk, AppShape['sdks'][number]>>,
  ExpectNone<ExtraKeys<PreApproval, Exclude<AppShape['preApprovals'], 'none'>[number]>>,
  ExpectNone<ExtraKeys<Access, Shape['access']>>,
];

describe('RegistrationForm and its schema', () => {
  it('agree on the valid fixtures', () => {
    const result = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: '2025-06-01' });
    if (!result.ok) throw new Error('valid-app should be valid');
    expect(fitsSchema(result.value)).toBe(result.value);
  });
});

describe('FORM_RULES', () => {
  it('uses snake_case codes', () => {
    for (const code of FORM_RULE_CODES) expect(code).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
  });

  it('makes only the credit-code checksum a warning', () => {
    expect(FORM_RULE_CODES.filter((code) => severityOf(code) === 'warning')).toEqual([
      'credit_code_checksum',
    ]);
  });

  it('describes every rule in one line', () => {
    for (const code of FORM_RULE_CODES) expect(FORM_RULES[code].summary).toMatch(/^[^\n]+$/);
  });

  it('recognises its own codes only', () => {
    expect(isFormRule('resident_id_checksum')).toBe(true);
    expect(isFormRule('toString')).toBe(false);
    expect(isFormRule('')).toBe(false);
  });

  it('keeps the codes clients rely on', () => {
    expect(FORM_RULE_CODES).toEqual(
      expect.arrayContaining([
        'required',
        'type',
        'too_long',
        'too_many',
        'resident_id_checksum',
        'resident_id_birth_date',
        'credit_code_format',
        'credit_code_checksum',
        'mobile_format',
        'email_format',
        'domain_format',
        'ip_format',
        'package_name_format',
        'bundle_id_format',
        'md5_format',
        'sha1_format',
        'id_expires_too_soon',
        'unknown_province',
        'pre_approval_none_exclusive',
        'pre_approval_ref_required',
        'forbidden_for_service_type',
        'unknown_field',
      ]),
    );
  });
});
