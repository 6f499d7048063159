import { domicileProvinceOf } from '../../form/domicile-province';
import type { RegistrationForm } from '../../form/registration-form';
import { validateRegistrationForm } from '../../form/validate-form';
import { isProvinceCode, type ProvinceCode } from '../../provinces';
import type { Actor } from '../actor';
import type { FilingCommandRule } from '../command-rules';
import { FilingDomainError } from '../filing-errors';
import { isFormFieldPath } from '../../form/form-field-paths';
import type { FieldReason, ReviewDeadline, ReviewReasons } from '../filing-events';
import type { FilingState, FilingStateOf, FilingStatus, SubmittedFilingState } from '../filing-state';
import { stageOf } from '../transitions';

/** The checks and readings the per-command deciders share; each throws a FilingDomainError. */

const MAX_REASONS_LENGTH = 2000;

export function wrongStage(state: FilingState, what: string): FilingDomainError {
  const stage = stageOf(state.status);
  return new FilingDomainError(
    'wrong_stage',
    `${what} does not fit the filing's current stage ${stage} (${state.status})`,
    { status: state.status, stage },
  );
}

export function requireStatus<S extends FilingStatus>(
  state: FilingState,
  allowed: readonly S[],
  what: string,
): FilingStateOf<S> {
  if (!(allowed as readonly FilingStatus[]).includes(state.status)) throw wrongStage(state, what);
  return state as FilingStateOf<S>;
}

export function requireRole(actor: Actor, rule: FilingCommandRule): void {
  if (!rule.roles.includes(actor.role)) {
    throw new FilingDomainError('forbidden_role', `role ${actor.role} may not ${rule.action}`);
  }
}

export function submittedState(state: FilingState, what: string): SubmittedFilingState {
  if (state.status === 'not_submitted') throw wrongStage(state, what);
  return state;
}

/** Platforms act on their own filings, bureaus on their province's; anything else looks like no filing at all. */
export function requireScope(actor: Actor, state: SubmittedFilingState): void {
  if (actor.role === 'platform' && actor.platformId !== state.platformId) {
    throw new FilingDomainError('out_of_scope', 'the filing is not one of this platform’s');
  }
  if (actor.role === 'bureau' && actor.province !== state.province) {
    throw new FilingDomainError('out_of_scope', 'the filing belongs to another province’s bureau');
  }
}

/** The trimmed reasons, or undefined when none were given and none are required. */
export function reasonsOf(value: string | undefined, required: boolean, what: string): string | undefined {
  const text = value?.trim();
  if (required && !text) {
    throw new FilingDomainError('invalid_command', `reasons are required to ${what}`, {
      field: 'reasons',
      rule: 'required',
    });
  }
  if (text && text.length > MAX_REASONS_LENGTH) {
    throw new FilingDomainError(
      'invalid_command',
      `reasons must be at most ${MAX_REASONS_LENGTH} characters`,
      {
        field: 'reasons',
        rule: 'too_long',
      },
    );
  }
  return text || undefined;
}

/** At most this many field reasons on one decision, each text at most MAX_FIELD_REASON_LENGTH. */
export const MAX_FIELD_REASONS = 50;
export const MAX_FIELD_REASON_LENGTH = 500;

function invalidFieldReason(field: string, rule: string, message: string): FilingDomainError {
  return new FilingDomainError('invalid_command', message, { field, rule });
}

function fieldReasonText(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidFieldReason(field, 'required', `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidFieldReason(field, 'type', `${field} must be text`);
  const text = value.trim();
  if (required && !text) throw invalidFieldReason(field, 'required', `${field} must not be blank`);
  // Counted as given, in characters (code points), as the request's JSON Schema counts them.
  if ([...value].length > MAX_FIELD_REASON_LENGTH) {
    throw invalidFieldReason(
      field,
      'too_long',
      `${field} must be at most ${MAX_FIELD_REASON_LENGTH} characters`,
    );
  }
  return text || undefined;
}

/** One field reason, trimmed: a real form field path, a problem, an optional suggestion. */
function fieldReasonAt(input: unknown, index: number): FieldReason {
  const at = `fieldReasons.${index}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidFieldReason(at, 'type', `${at} must be an object`);
  }
  const { path, problem, suggestion } = input as Record<string, unknown>;
  // The path exactly as validation errors write it: no spaces around it.
  const pathText = fieldReasonText(path, `${at}.path`, true) ?? '';
  if (pathText !== path || !isFormFieldPath(pathText)) {
    throw invalidFieldReason(`${at}.path`, 'unknown_form_field', `${at}.path names no field of the form`);
  }
  const problemText = fieldReasonText(problem, `${at}.problem`, true) ?? '';
  const suggestionText = fieldReasonText(suggestion, `${at}.suggestion`, false);
  return suggestionText === undefined
    ? { path: pathText, problem: problemText }
    : { path: pathText, problem: problemText, suggestion: suggestionText };
}

/**
 * The per-field reasons of a rejection or return, checked: each path a field of the registration
 * form (`isFormFieldPath`), each problem given. `required`: at least one (a bureau return).
 */
export function fieldReasonsOf(value: unknown, required: boolean, what: string): FieldReason[] {
  if (value === undefined || value === null) {
    if (required)
      throw invalidFieldReason('fieldReasons', 'required', `field reasons are required to ${what}`);
    return [];
  }
  if (!Array.isArray(value)) throw invalidFieldReason('fieldReasons', 'type', 'fieldReasons must be a list');
  if (required && value.length === 0) {
    throw invalidFieldReason('fieldReasons', 'required', `at least one field reason is required to ${what}`);
  }
  if (value.length > MAX_FIELD_REASONS) {
    throw invalidFieldReason('fieldReasons', 'too_many', `at most ${MAX_FIELD_REASONS} field reasons`);
  }
  return value.map(fieldReasonAt);
}

/** The reasons of a rejection or return as its event records them: field reasons only when given. */
export function reviewReasonsOf(
  command: { reasons?: string; fieldReasons?: unknown },
  what: string,
  fieldReasonsRequired = false,
): ReviewReasons {
  const reasons = requiredReasons(command.reasons, what);
  const fieldReasons = fieldReasonsOf(command.fieldReasons, fieldReasonsRequired, what);
  return fieldReasons.length > 0 ? { reasons, fieldReasons } : { reasons };
}

/** An approval carries no field reasons: there is nothing to correct. */
export function refuseFieldReasons(command: { fieldReasons?: readonly unknown[] }): void {
  if (command.fieldReasons !== undefined && command.fieldReasons.length > 0) {
    throw invalidFieldReason('fieldReasons', 'not_allowed', 'an approval carries no field reasons');
  }
}

export function requiredReasons(value: string | undefined, what: string): string {
  return reasonsOf(value, true, what) ?? '';
}

export function withReasons(text: string | undefined): { reasons?: string } {
  return text ? { reasons: text } : {};
}

export function validForm(input: unknown, on: string): RegistrationForm {
  const result = validateRegistrationForm(input, { submittedOn: on });
  if (!result.ok) {
    const first = result.errors[0];
    const where = first ? ` (first: ${first.path}: ${first.rule})` : '';
    throw new FilingDomainError('invalid_command', `the form has ${result.errors.length} error(s)${where}`, {
      field: first ? `form.${first.path}` : 'form',
      rule: first?.rule,
    });
  }
  return result.value;
}

export function provinceOf(form: RegistrationForm): ProvinceCode {
  const code = domicileProvinceOf(form).code;
  if (!isProvinceCode(code))
    throw new FilingDomainError('invalid_command', 'the form names no known province');
  return code;
}

/** The deadline as recorded: exactly its three fields, with an allowance a deadline can be counted with. */
export function reviewDeadline(deadline: ReviewDeadline): ReviewDeadline {
  const { dueAt, provisional, workingDays } = deadline;
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new FilingDomainError(
      'invalid_command',
      `working days must be a positive integer, got ${workingDays}`,
      {
        field: 'deadline.workingDays',
        rule: 'positive_integer',
      },
    );
  }
  return { dueAt, provisional, workingDays };
}
