import type { PlatformDecision } from '../../events/filing/filing-commands';
import type { FieldReason } from '../../events/filing/filing-events';
import { MAX_FIELD_REASON_LENGTH, MAX_FIELD_REASONS } from '../../events/filing/decide/guards';
import { FORM_FIELD_PATH_PATTERN, isFormFieldPath } from '../../events/form/form-field-paths';
import { NON_BLANK_PATTERN } from '../../events/form/schema/json-schema';
import { registrationFormSchema } from '../../events/form/registration-form.schema';
import { jsonBody, nonBlankWhen } from '../http/request-bodies';
import type { RequestRule } from '../http/request-object';
import {
  checkedLaterField,
  codePoints,
  choiceField,
  MAX_REASONS,
  type FieldError,
  type Parsed,
  type RequestField,
  required,
  textField,
} from '../http/request-fields';

/** The explanation a decision may carry: required (non-blank) where the decision says so. */
export const reasonsField = textField({ max: MAX_REASONS });

const fieldReasonText = (description: string) => ({
  type: 'string',
  maxLength: MAX_FIELD_REASON_LENGTH,
  description,
});

function readFieldReasonText(
  value: unknown,
  at: string,
  required: boolean,
  errors: FieldError[],
): string | undefined {
  if (value === undefined || value === null) {
    if (required) errors.push({ path: at, rule: 'required', message: `${at} is required` });
  } else if (typeof value !== 'string') {
    errors.push({ path: at, rule: 'type', message: `${at} must be text` });
  } else if (required && value.trim() === '') {
    errors.push({ path: at, rule: 'required', message: `${at} must not be blank` });
  } else if (codePoints(value) > MAX_FIELD_REASON_LENGTH) {
    errors.push({
      path: at,
      rule: 'too_long',
      message: `${at} must be at most ${MAX_FIELD_REASON_LENGTH} characters`,
    });
  } else {
    return value;
  }
  return undefined;
}

function readFieldReason(value: unknown, at: string, errors: FieldError[]): FieldReason | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push({ path: at, rule: 'type', message: `${at} must be an object` });
    return undefined;
  }
  const reason = value as Record<string, unknown>;
  for (const key of Object.keys(reason)) {
    if (!['path', 'problem', 'suggestion'].includes(key)) {
      errors.push({
        path: `${at}.${key}`,
        rule: 'unknown_field',
        message: `${key} is not a field of a field reason`,
      });
    }
  }
  const before = errors.length;
  const path = readFieldReasonText(reason.path, `${at}.path`, true, errors);
  if (path !== undefined && !isFormFieldPath(path)) {
    errors.push({
      path: `${at}.path`,
      rule: 'unknown_form_field',
      message: `${at}.path must name a field of the registration form, as in app.platforms.0.packageName`,
    });
  }
  const problem = readFieldReasonText(reason.problem, `${at}.problem`, true, errors);
  const suggestion = readFieldReasonText(reason.suggestion, `${at}.suggestion`, false, errors);
  if (errors.length > before || path === undefined || problem === undefined) return undefined;
  return suggestion === undefined ? { path, problem } : { path, problem, suggestion };
}

/**
 * Per-field reasons of a rejection or return: `{path, problem, suggestion?}` each, `path` a field of
 * the registration form (`isFormFieldPath`, derived from the form's schema). Checked again by `decide`.
 */
export const fieldReasonsField: RequestField<FieldReason[]> = {
  schema: {
    type: 'array',
    maxItems: MAX_FIELD_REASONS,
    description:
      'per-field reasons: path a field of the registration form (app.platforms.0.packageName), problem, optional suggestion',
    items: {
      type: 'object',
      required: ['path', 'problem'],
      additionalProperties: false,
      properties: {
        path: {
          ...fieldReasonText('a field path of the registration form'),
          pattern: FORM_FIELD_PATH_PATTERN,
        },
        problem: { ...fieldReasonText('what is wrong with the field'), pattern: NON_BLANK_PATTERN },
        suggestion: { anyOf: [fieldReasonText('what to change'), { type: 'null' }] },
      },
    },
  },
  required: false,
  missingRule: 'required',
  read(value, name, errors) {
    if (!Array.isArray(value)) {
      errors.push({ path: name, rule: 'type', message: `${name} must be a list` });
      return undefined;
    }
    if (value.length > MAX_FIELD_REASONS) {
      errors.push({
        path: name,
        rule: 'too_many',
        message: `${name} holds at most ${MAX_FIELD_REASONS} entries`,
      });
      return undefined;
    }
    const before = errors.length;
    const reasons = value.map((entry, index) => readFieldReason(entry, `${name}.${index}`, errors));
    return errors.length > before ? undefined : (reasons as FieldReason[]);
  },
};

/** At least one field reason when `when` is one of `values` (a bureau return names what to correct). */
export function fieldReasonsRequiredWhen(when: string, values: readonly string[]): RequestRule {
  return {
    schema: {
      if: { properties: { [when]: { enum: [...values] } }, required: [when] },
      then: { required: ['fieldReasons'], properties: { fieldReasons: { type: 'array', minItems: 1 } } },
    },
    check(raw, errors) {
      if (!values.includes(raw[when] as string)) return;
      const value = raw.fieldReasons;
      if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
        errors.push({
          path: 'fieldReasons',
          rule: 'required',
          message: 'at least one field reason is required for this decision',
        });
      }
    },
  };
}

/** An approval names nothing to correct: no field reasons with it. */
export function noFieldReasonsWhen(when: string, values: readonly string[]): RequestRule {
  return {
    schema: {
      if: { properties: { [when]: { enum: [...values] } }, required: [when] },
      then: { properties: { fieldReasons: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } } },
    },
    check(raw, errors) {
      if (!values.includes(raw[when] as string)) return;
      const value = raw.fieldReasons;
      if (Array.isArray(value) && value.length > 0) {
        errors.push({
          path: 'fieldReasons',
          rule: 'not_allowed',
          message: 'an approval carries no field reasons',
        });
      }
    },
  };
}

export interface ReviewBody<D> {
  decision: D;
  reasons?: string;
  fieldReasons?: FieldReason[];
}

export const platformReviewBody = jsonBody(
  {
    decision: required(choiceField(['approve', 'reject', 'return'] as const)),
    reasons: reasonsField,
    fieldReasons: fieldReasonsField,
  },
  [nonBlankWhen('reasons', 'decision', ['reject', 'return']), noFieldReasonsWhen('decision', ['approve'])],
);

export function parsePlatformReview(body: unknown): Parsed<ReviewBody<PlatformDecision>> {
  return platformReviewBody.parse(body) as Parsed<ReviewBody<PlatformDecision>>;
}

/** Resubmission and withdrawal: optional reasons; no body at all is no reasons. */
export const reasonsOnlyBody = jsonBody({ reasons: reasonsField }, [], { absentIsEmpty: true });

export function parseReasonsOnly(body: unknown): Parsed<{ reasons?: string }> {
  return reasonsOnlyBody.parse(body);
}

/** A decision that says nothing but itself (the SMS resend): an empty object, or no body at all. */
export const emptyBody = jsonBody({}, [], { absentIsEmpty: true });

export function parseEmpty(body: unknown): Parsed<Record<string, never>> {
  return emptyBody.parse(body) as Parsed<Record<string, never>>;
}

/** The corrected form is validated in full by `SubmissionPipe.forCorrection`, against the same schema. */
export const correctionBody = jsonBody({
  form: required(checkedLaterField(registrationFormSchema.jsonSchema)),
});

export function parseCorrection(body: unknown): Parsed<{ form: unknown }> {
  return correctionBody.parse(body) as Parsed<{ form: unknown }>;
}
