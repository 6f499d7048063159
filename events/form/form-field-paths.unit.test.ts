import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { FORM_FIELD_PATH_PATTERN, FORM_FIELD_PATH_PATTERNS, isFormFieldPath } from './form-field-paths';
import { validateRegistrationForm } from './validate-form';

/** Every path of a value, as `formatPath` writes it. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...pathsOf(child, path)];
  });
}

describe('form field paths', () => {
  it.each([
    'app.platforms.0.packageName',
    'app.platforms.1.signatureSha1',
    'app.name',
    'appPrincipal.mobile',
    'operator.name',
    'operator',
    'access.ispName',
    'serviceType',
  ])('accepts %s', (path) => {
    expect(isFormFieldPath(path)).toBe(true);
  });

  it.each([
    'foo.bar',
    '',
    'app.platforms.packageName',
    'app.platforms.-1.packageName',
    'app.platforms.01.packageName',
    'app.platforms.*.packageName.x',
    'app..name',
    'app.name.0',
  ])('refuses %s', (path) => {
    expect(isFormFieldPath(path)).toBe(false);
  });

  it.each(['valid-app', 'valid-mini-program', 'valid-quick-app', 'valid-existing-subject'] as const)(
    'holds every path of the valid form %s',
    (name) => {
      const result = validateRegistrationForm(loadValidForm(name), { submittedOn: '2026-11-30' });
      if (!result.ok) throw new Error(`${name} does not validate`);
      expect(pathsOf(result.value).filter((path) => !isFormFieldPath(path))).toEqual([]);
    },
  );

  it('lists list entries with * and no schema keyword as a field', () => {
    expect(FORM_FIELD_PATH_PATTERNS.has('app.platforms.*')).toBe(true);
    expect(
      [...FORM_FIELD_PATH_PATTERNS].filter((p) => /(^|\.)(properties|items|anyOf)(\.|$)/.test(p)),
    ).toEqual([]);
  });

  it('publishes a pattern that accepts exactly what isFormFieldPath accepts', () => {
    const pattern = new RegExp(FORM_FIELD_PATH_PATTERN, 'u');
    const samples = [
      ...[...FORM_FIELD_PATH_PATTERNS].map((p) => p.replaceAll('*', '3')),
      ...[...FORM_FIELD_PATH_PATTERNS].map((p) => p.replaceAll('*', '01')),
      ...[...FORM_FIELD_PATH_PATTERNS].map((p) => `${p}.x`),
      'foo.bar',
      ' app.name',
      'app.name ',
      'appXname',
      '',
    ];
    expect(samples.filter((path) => pattern.test(path) !== isFormFieldPath(path))).toEqual([]);
  });
});
