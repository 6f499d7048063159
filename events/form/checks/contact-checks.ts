import { isEmailAddress } from '../../contact/email-address';
import { isMobileNumber, isPhoneNumber } from '../../contact/phone-numbers';
import type { Finding } from '../schema/form-issues';

const NO_FINDINGS: readonly Finding[] = [];

export function mobileFindings(value: string): readonly Finding[] {
  return isMobileNumber(value)
    ? NO_FINDINGS
    : [
        {
          rule: 'mobile_format',
          message: 'must be a mainland mobile number: 11 digits starting with 13 to 19, optionally after +86',
        },
      ];
}

export function phoneFindings(value: string): readonly Finding[] {
  return isPhoneNumber(value)
    ? NO_FINDINGS
    : [
        {
          rule: 'phone_format',
          message:
            'must be a mainland mobile number, or a fixed-line number with its area code such as 010-12345678',
        },
      ];
}

export function emailFindings(value: string): readonly Finding[] {
  return isEmailAddress(value)
    ? NO_FINDINGS
    : [{ rule: 'email_format', message: 'must be an email address such as name@example.com' }];
}
