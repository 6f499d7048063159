import { assertNever } from '../../assert-never';
import { addMonths, formatCalendarDate, parseCalendarDate } from '../../calendar-date';
import { CREDIT_CODE_LAYOUT, creditCodeCheck as checkCreditCode } from '../../identity/credit-code';
import {
  PERMIT_AREA_CODES,
  residencePermitCheck,
  residentIdCheck,
  type ResidentIdProblem,
} from '../../identity/resident-id';
import {
  FOREIGN_PERMANENT_RESIDENCE,
  HK_MACAO_PERMIT,
  PASSPORT,
  TAIWAN_PERMIT,
} from '../../identity/travel-documents';
import { PROVINCES } from '../../provinces';
import { type IdType, LONG_TERM } from '../registration-form';
import type { Finding } from '../schema/form-issues';
import { patternOf } from '../schema/json-schema';
import { patternCheck, type TextCheck } from '../schema/text-check';

const NO_FINDINGS: readonly Finding[] = [];

/** Format errors only: a wrong check character is a warning (some early codes fail it). */
export const creditCodeCheck: TextCheck = {
  findings(value) {
    const check = checkCreditCode(value);
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
  },
  jsonSchema: { pattern: patternOf(CREDIT_CODE_LAYOUT) },
};

const RESIDENT_ID_AREAS = PROVINCES.map((province) => province.code.slice(0, 2)).join('|');

/** A resident identity card number (GB 11643): layout and province here, birth date and check digit by format. */
export const residentIdNumberCheck: TextCheck = {
  findings: (value, { submittedOn }) => gb11643Findings('resident_id', value, submittedOn),
  jsonSchema: { pattern: `^(?:${RESIDENT_ID_AREAS})[0-9]{15}[0-9X]$`, format: 'gb11643-resident-id' },
};

const residencePermitNumberCheck: TextCheck = {
  findings: (value, { submittedOn }) => gb11643Findings('hmt_residence_permit', value, submittedOn),
  jsonSchema: {
    pattern: `^(?:${PERMIT_AREA_CODES.join('|')})[0-9]{11}[0-9X]$`,
    format: 'gb11643-residence-permit',
  },
};

const formatCheck = (regex: RegExp, message: string): TextCheck =>
  patternCheck(regex, 'id_number_format', message);

/** How the number of each document a person in charge may present is checked. */
export const ID_NUMBER_CHECKS: Readonly<Record<IdType, TextCheck>> = {
  resident_id: residentIdNumberCheck,
  hmt_residence_permit: residencePermitNumberCheck,
  hk_macao_permit: formatCheck(HK_MACAO_PERMIT, 'must be a permit number: H or M followed by 8 or 10 digits'),
  taiwan_permit: formatCheck(TAIWAN_PERMIT, 'must be a permit number of 8 digits'),
  passport: formatCheck(PASSPORT, 'must be a passport number of 5 to 17 capital letters and digits'),
  foreign_permanent_residence: formatCheck(
    FOREIGN_PERMANENT_RESIDENCE,
    'must be 3 capital letters and 12 digits, or 18 characters starting with 9',
  ),
};

function gb11643Findings(
  idType: 'resident_id' | 'hmt_residence_permit',
  value: string,
  notBornAfter: string,
): readonly Finding[] {
  const check = (idType === 'resident_id' ? residentIdCheck : residencePermitCheck)(value, { notBornAfter });
  return check.ok ? NO_FINDINGS : check.problems.map((problem) => residentIdFinding(problem, idType));
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

/** `idValidUntil`: "long-term", or a real date at least one month after the submission date. */
export const idValidUntilCheck: TextCheck = {
  findings: idValidUntilFindings,
  jsonSchema: { pattern: `^(?:${LONG_TERM}|[0-9]{4}-[0-9]{2}-[0-9]{2})$`, format: 'id-valid-until' },
};

function idValidUntilFindings(value: string, { submittedOn }: { submittedOn: string }): readonly Finding[] {
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
