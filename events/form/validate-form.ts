import { isCalendarDate } from '../calendar-date';
import type { RegistrationForm } from './registration-form';
import { registrationFormSchema } from './registration-form.schema';
import { IssueCollector, type FormIssue } from './schema/form-issues';
import { INVALID } from './schema/schema-node';

export type { FormIssue } from './schema/form-issues';

export interface FormValidationContext {
  /** `YYYY-MM-DD`, the day the form is submitted. Never read from a clock here. */
  readonly submittedOn: string;
}

export type FormValidationResult =
  | { readonly ok: true; readonly value: RegistrationForm; readonly warnings: readonly FormIssue[] }
  | { readonly ok: false; readonly errors: readonly FormIssue[]; readonly warnings: readonly FormIssue[] };

/**
 * Checks a submitted registration form and reports every problem at once. Any JSON value is
 * accepted as input and never makes it throw; the value returned on success is a fresh copy.
 * Warnings (e.g. a credit code whose check character is off) do not make the form invalid.
 *
 * @throws RangeError when `context.submittedOn` is not a real `YYYY-MM-DD` date (a caller's bug).
 */
export function validateRegistrationForm(
  input: unknown,
  context: FormValidationContext,
): FormValidationResult {
  if (typeof context.submittedOn !== 'string' || !isCalendarDate(context.submittedOn)) {
    throw new RangeError('validateRegistrationForm: submittedOn must be a real date written YYYY-MM-DD');
  }
  const issues = new IssueCollector();
  const value = registrationFormSchema.parse(input, [], { submittedOn: context.submittedOn, issues });
  const { errors, warnings } = issues;
  if (value === INVALID || errors.length > 0) {
    return { ok: false, errors: errors.length > 0 ? errors : [unexplainedFailure()], warnings };
  }
  // The schema's value passed every cross-field rule, which is what RegistrationForm adds to its shape.
  return { ok: true, value: value as RegistrationForm, warnings };
}

/** Unreachable by design: a node that fails reports why. Kept so a failure can never look valid. */
function unexplainedFailure(): FormIssue {
  return { path: '$', rule: 'type', message: 'the form could not be read' };
}
