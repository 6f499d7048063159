import { listInvalidForms, loadValidForm, writeInvalidForm } from '../../test/fixtures/forms/form-fixtures';
import { INVALID_FORM_VARIANTS, VARIANT_SUBMITTED_ON } from '../../test/fixtures/forms/invalid-form-variants';
import { FORM_RULE_CODES, severityOf } from './form-rules';
import { type FormValidationResult, validateRegistrationForm } from './validate-form';

const context = { submittedOn: VARIANT_SUBMITTED_ON };

/** Errors, or warnings when the form is otherwise valid: every issue the form raised. */
function allIssues(result: FormValidationResult) {
  return result.ok ? result.warnings : [...result.errors, ...result.warnings];
}

function applyVariant(variant: (typeof INVALID_FORM_VARIANTS)[number]): unknown {
  const form = loadValidForm(variant.base);
  const replacement = variant.mutate(form);
  return replacement === undefined ? form : replacement;
}

if (process.env.WRITE_FORM_FIXTURES === '1') {
  for (const variant of INVALID_FORM_VARIANTS) writeInvalidForm(variant.name, applyVariant(variant));
}

describe('each rule, broken alone, is reported at its path', () => {
  describe.each(FORM_RULE_CODES.map((rule) => [rule]))('%s', (rule) => {
    const variants = INVALID_FORM_VARIANTS.filter((variant) => variant.name.startsWith(`${rule}--`));

    it('has at least one variant', () => {
      expect(variants.length).toBeGreaterThan(0);
    });

    it.each(variants.map((variant) => [variant.name, variant]))('%s', (_name, variant) => {
      const result = validateRegistrationForm(applyVariant(variant), context);
      expect(allIssues(result).map(({ path, rule }) => ({ path, rule }))).toEqual([
        { path: variant.path, rule },
      ]);
      expect(result.ok).toBe(severityOf(rule) === 'warning');
    });
  });
});

describe('test/fixtures/forms/invalid', () => {
  const fixtures = listInvalidForms();

  it('holds at least 40 files, one per variant', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.map((fixture) => fixture.name)).toEqual(INVALID_FORM_VARIANTS.map((v) => v.name).sort());
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture]))(
    '%s breaks exactly the rule in its name',
    (_name, fixture) => {
      const issues = allIssues(validateRegistrationForm(fixture.content, context));
      expect(issues.map((issue) => issue.rule)).toEqual([fixture.rule]);
    },
  );

  it.each(INVALID_FORM_VARIANTS.map((variant) => [variant.name, variant]))(
    '%s on disk is its variant applied to the valid fixture',
    (name, variant) => {
      const fixture = fixtures.find((candidate) => candidate.name === name);
      expect(fixture?.content).toEqual(applyVariant(variant));
    },
  );
});
