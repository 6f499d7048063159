import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { deleteAt, setAt } from '../../test/fixtures/forms/invalid-form-variants';
import { serviceIdentifiersOf } from '../registry/service-identifiers';
import { registrationFormSchema } from './registration-form.schema';
import type { FormIssue } from './schema/form-issues';
import { validateRegistrationForm } from './validate-form';

const validate = (input: unknown) => validateRegistrationForm(input, { submittedOn: '2025-06-01' });
const errorsOf = (input: unknown): readonly Pick<FormIssue, 'path' | 'rule'>[] => {
  const result = validate(input);
  return result.ok ? [] : result.errors.map(({ path, rule }) => ({ path, rule }));
};

describe('a quick app (快应用) on the registration form', () => {
  it('is accepted with its package and the details every service gives', () => {
    const result = validate(loadValidForm('valid-quick-app'));
    if (!result.ok || result.value.serviceType !== 'quick_app') throw new Error('expected a quick app');
    expect(result.value.app.quickAppPackage).toBe('com.example.ledger.quick');
    expect(result.warnings).toEqual([]);
  });

  it('is one of the service types the published schema offers', () => {
    const properties = registrationFormSchema.jsonSchema['properties'] as Record<string, { enum?: string[] }>;
    expect(properties['serviceType']?.enum).toContain('quick_app');
  });

  it('gives the registry its package as its identifier', () => {
    const result = validate(loadValidForm('valid-quick-app'));
    if (!result.ok) throw new Error('expected a valid form');
    expect(serviceIdentifiersOf(result.value)).toEqual({
      packages: [],
      bundles: [],
      quickAppPackage: 'com.example.ledger.quick',
      domains: ['quick.example.com'],
    });
  });

  it('requires quickAppPackage', () => {
    const form = loadValidForm('valid-quick-app');
    deleteAt(form, 'app.quickAppPackage');
    expect(errorsOf(form)).toEqual([{ path: 'app.quickAppPackage', rule: 'required' }]);
  });

  it.each([['com.example-ledger'], ['ledger'], ['com.2048.quick'], ['com..quick']])(
    'refuses the package %s by the Android package-name rule',
    (quickAppPackage) => {
      const form = loadValidForm('valid-quick-app');
      setAt(form, 'app.quickAppPackage', quickAppPackage);
      expect(errorsOf(form)).toEqual([{ path: 'app.quickAppPackage', rule: 'package_name_format' }]);
    },
  );

  it('refuses a package longer than 255 characters', () => {
    const form = loadValidForm('valid-quick-app');
    setAt(form, 'app.quickAppPackage', `com.${'a'.repeat(252)}`);
    expect(errorsOf(form)).toEqual([{ path: 'app.quickAppPackage', rule: 'too_long' }]);
  });

  it.each([
    [
      'platforms',
      [
        {
          os: 'android',
          packageName: 'com.example.a',
          publicKey: 'AB'.repeat(64),
          signatureMd5: 'AB'.repeat(16),
        },
      ],
    ],
    ['hostApp', '微信'],
    ['miniProgramId', 'wx3f8a6c2d9e1b4a70'],
  ])('does not allow the %s of other service types', (field, value) => {
    const form = loadValidForm('valid-quick-app');
    setAt(form, `app.${field}`, value);
    expect(errorsOf(form)).toEqual([{ path: `app.${field}`, rule: 'forbidden_for_service_type' }]);
  });

  it.each([['valid-app'], ['valid-mini-program']] as const)('is not allowed on %s', (fixture) => {
    const form = loadValidForm(fixture);
    setAt(form, 'app.quickAppPackage', 'com.example.quick');
    expect(errorsOf(form)).toEqual([{ path: 'app.quickAppPackage', rule: 'forbidden_for_service_type' }]);
  });
});
