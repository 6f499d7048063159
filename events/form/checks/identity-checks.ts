import { assertNever } from '../../assert-never';
import { addMonths, formatCalendarDate, parseCalendarDate } from '../../calendar-date';
import { creditCodeCheck } from '../../identity/credit-code';
import { type ResidentIdProblem, residencePermitCheck, residentIdCheck } from '../../identity/resident-id';
import {
  isForeignPermanentResidenceNumber,
  isHongKongMacaoPermitNumber,
  isPassportNumber,
  isTaiwanPermitNumber,
} from '../../identity/travel-documents';
import { type IdType, LONG_TERM } from '../registration-form';
import type { Finding } from '../schema/form-issues';
import type { ParseContext } from '../schema/schema-node';

const NO_FINDINGS: readonly Finding[] = [];

export function creditCodeFindings(value: string): readonly Finding[] {
  const check = creditCodeCheck(value);
  if (check.ok) return NO_FINDINGS;
  switch (check.problem) {
    case 'format':
      return [
        {
          rule: 'credit_code_format',
          message: 'must be 18 characters from 0-9 and the capital letters other than I, O, S, V and Z',
        },
      ];
    case 'checksum':
      return [
        {
          rule: 'credit_code_checksum',
          message:
            'the check character does not match the 17 characters before it; compare it with the business licence',
        },
      ];
    default:
      return assertNever(check, 'credit code check');
  }
}

/** A resident identity card number (GB 11643), e.g. an individual operator's. */
export function residentIdFindings(value: string, { submittedOn }: ParseContext): readonly Finding[] {
  const check = residentIdCheck(value, { notBornAfter: submittedOn });
  return check.ok ? NO_FINDINGS : check.problems.map((problem) => residentIdFinding(problem, 'resident_id'));
}

/** The number of the document a person in charge presents, checked as its type requires. */
export function idNumberFindings(
  idType: IdType,
  value: string,
  { submittedOn }: ParseContext,
): readonly Finding[] {
  switch (idType) {
    case 'resident_id':
    case 'hmt_residence_permit': {
      const check = (idType === 'resident_id' ? residentIdCheck : residencePermitCheck)(value, {
        notBornAfter: submittedOn,
      });
      return check.ok ? NO_FINDINGS : check.problems.map((problem) => residentIdFinding(problem, idType));
    }
    case 'hk_macao_permit':
      return isHongKongMacaoPermitNumber(value)
        ? NO_FINDINGS
        : [formatFinding('must be a permit number: H or M followed by 8 or 10 digits')];
    case 'taiwan_permit':
      return isTaiwanPermitNumber(value)
        ? NO_FINDINGS
        : [formatFinding('must be a permit number of 8 digits')];
    case 'passport':
      return isPassportNumber(value)
        ? NO_FINDINGS
        : [formatFinding('must be a passport number of 5 to 17 capital letters and digits')];
    case 'foreign_permanent_residence':
      return isForeignPermanentResidenceNumber(value)
        ? NO_FINDINGS
        : [formatFinding('must be 3 capital letters and 12 digits, or 18 characters starting with 9')];
    default:
      return assertNever(idType, 'ID type');
  }
}

function residentIdFinding(
  problem: ResidentIdProblem,
  idType: 'resident_id' | 'hmt_residence_permit',
): Finding {
  switch (problem) {
    case 'format':
      return { rule: 'resident_id_format', message: 'must be 17 digits followed by a digit or a capital X' };
    case 'region':
      return {
        rule: 'resident_id_region',
        message:
          idType === 'resident_id'
            ? 'the first two digits are not the code of one of the 31 provinces'
            : 'a residence permit number must start with 810000, 820000 or 830000',
      };
    case 'birth_date':
      return {
        rule: 'resident_id_birth_date',
        message: 'digits 7 to 14 are not a real date of birth between 1900 and the submission date',
      };
    case 'checksum':
      return {
        rule: 'resident_id_checksum',
        message: 'the check character does not match the 17 digits before it',
      };
    default:
      return assertNever(problem, 'resident ID problem');
  }
}

function formatFinding(message: string): Finding {
  return { rule: 'id_number_format', message };
}

/** `idValidUntil`: "long-term", or a real date at least one month after the submission date. */
export function idValidUntilFindings(value: string, { submittedOn }: ParseContext): readonly Finding[] {
  if (value === LONG_TERM) return NO_FINDINGS;
  const validUntil = parseCalendarDate(value);
  if (!validUntil)
    return [{ rule: 'date_format', message: `must be a date written YYYY-MM-DD, or "${LONG_TERM}"` }];
  const submitted = parseCalendarDate(submittedOn);
  if (!submitted) return NO_FINDINGS;
  if (value < submittedOn) {
    return [{ rule: 'id_expires_too_soon', message: 'the document expired before the submission date' }];
  }
  if (value < formatCalendarDate(addMonths(submitted, 1))) {
    return [
      {
        rule: 'id_expires_too_soon',
        message: 'the document must stay valid for at least one month after the submission date',
      },
    ];
  }
  return NO_FINDINGS;
}
