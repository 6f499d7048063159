import { EMAIL_ADDRESS, EMAIL_LOCAL_PART_LIMIT, isEmailAddress } from '../../contact/email-address';
import { isPhoneNumber, LANDLINE, MOBILE } from '../../contact/phone-numbers';
import { patternOf } from '../schema/json-schema';
import { patternCheck, type TextCheck } from '../schema/text-check';

export const mobileCheck = patternCheck(
  MOBILE,
  'mobile_format',
  'must be a mainland mobile number: 11 digits starting with 13 to 19, optionally after +86',
);

const PHONE_FINDINGS = [
  {
    rule: 'phone_format',
    message:
      'must be a mainland mobile number, or a fixed-line number with its area code such as 010-12345678',
  },
] as const;

export const phoneCheck: TextCheck = {
  findings: (value) => (isPhoneNumber(value) ? [] : PHONE_FINDINGS),
  jsonSchema: { anyOf: [{ pattern: patternOf(MOBILE) }, { pattern: patternOf(LANDLINE) }] },
};

const EMAIL_FINDINGS = [
  { rule: 'email_format', message: 'must be an email address such as name@example.com' },
] as const;

export const emailCheck: TextCheck = {
  findings: (value) => (isEmailAddress(value) ? [] : EMAIL_FINDINGS),
  jsonSchema: { pattern: patternOf(EMAIL_ADDRESS), allOf: [{ pattern: patternOf(EMAIL_LOCAL_PART_LIMIT) }] },
};
