import { NON_BLANK_PATTERN } from '../../events/form/schema/json-schema';
import type { FieldError, RequestField } from './request-fields';
import { type RequestObject, type RequestRule, requestObject } from './request-object';

function asObject(body: unknown, errors: FieldError[]): Readonly<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    errors.push({ path: '$', rule: 'type', message: 'the body must be a JSON object' });
    return {};
  }
  return body as Record<string, unknown>;
}

/**
 * A JSON object body: unknown fields are refused (a system of record does not silently drop what it
 * was sent), an optional field may be null. With `absentIsEmpty`, no body at all reads as `{}`.
 */
export function jsonBody<F extends Readonly<Record<string, RequestField<unknown>>>>(
  fields: F,
  rules: readonly RequestRule[] = [],
  options: { absentIsEmpty?: boolean } = {},
): RequestObject<F> {
  return requestObject(fields, rules, {
    what: 'a field of this request',
    object: (input, errors) => (input === undefined && options.absentIsEmpty ? {} : asObject(input, errors)),
    accepts: () => true,
    nullIsAbsent: true,
  });
}

/** `field` must be given and not blank when `when` is one of `values` (reasons to reject, say). */
export function nonBlankWhen(field: string, when: string, values: readonly string[]): RequestRule {
  return {
    schema: {
      if: { properties: { [when]: { enum: [...values] } }, required: [when] },
      then: { required: [field], properties: { [field]: { type: 'string', pattern: NON_BLANK_PATTERN } } },
    },
    check(raw, errors) {
      if (!values.includes(raw[when] as string)) return;
      const value = raw[field];
      if (value === undefined || value === null) {
        errors.push({ path: field, rule: 'required', message: `${field} are required for this decision` });
      } else if (typeof value === 'string' && value.trim() === '') {
        errors.push({
          path: field,
          rule: 'required',
          message: `${field} must not be blank for this decision`,
        });
      }
    },
  };
}
