import { assertNever } from './assert-never';
import type { ServiceType } from './form/registration-form';
import { subjectNumberCheck } from './form/subject-number';
import { type ProvinceCode, isProvinceCode, issuedAbbreviation, provinceByCode } from './provinces';

/**
 * ICP registration numbers. A subject (the operator, keyed by USCC or resident ID) holds one subject
 * number per province, `粤ICP备2026000123号`; each of its apps and mini programs gets a service number,
 * `粤ICP备2026000123号-1A` / `-1X`, counted per subject and service type from 1.
 */

export interface SubjectNumberParts {
  readonly provinceCode: ProvinceCode;
  /** Four-digit year of issue. */
  readonly year: number;
  /** 1–999999, printed as six digits. */
  readonly sequence: number;
}

export const MAX_SUBJECT_SEQUENCE = 999_999;

export type ServiceSuffix = 'A' | 'X';

export interface ServicePart {
  readonly n: number;
  readonly serviceType: ServiceType;
  /** The whole service number as issued, e.g. `粤ICP备2026000123号-2A`. */
  readonly serviceNumber: string;
}

export interface ParsedRegistrationNumber {
  readonly provinceCode: ProvinceCode;
  readonly year: number;
  readonly sequence: number;
  /** The subject number as issued: the province's first abbreviation, whichever variant was given. */
  readonly subjectNumber: string;
  /** Older numbers have a two-digit year (`京ICP备05012345号`: 2005, sequence 12345). */
  readonly legacyFormat: boolean;
  /** Present for a service number. */
  readonly service?: ServicePart;
}

export type RegistrationNumberProblem = 'format' | 'province' | 'year' | 'sequence' | 'service';

export type RegistrationNumberParseResult =
  | { readonly ok: true; readonly number: ParsedRegistrationNumber }
  | { readonly ok: false; readonly problem: RegistrationNumberProblem; readonly reason: string };

const SUBJECT_DIGITS = /^\p{Script=Han}ICP备(\d+)号$/u;
const SERVICE_PART = /^([1-9]\d{0,5})([A-Z]?)$/;
const EARLIEST_YEAR = 2000;

/** @throws RangeError for an unknown province, a year that is not four digits, or a sequence out of range. */
export function formatSubjectNumber({ provinceCode, year, sequence }: SubjectNumberParts): string {
  const province = provinceByCode(provinceCode);
  if (!province) throw new RangeError(`unknown province code ${JSON.stringify(provinceCode)}`);
  if (!Number.isInteger(year) || year < EARLIEST_YEAR || year > 9999) {
    throw new RangeError(`year must be a four-digit year from ${EARLIEST_YEAR}, got ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SUBJECT_SEQUENCE) {
    throw new RangeError(`sequence must be 1–${MAX_SUBJECT_SEQUENCE}, got ${sequence}`);
  }
  return `${issuedAbbreviation(province)}ICP备${year}${String(sequence).padStart(6, '0')}号`;
}

/**
 * The service number `<subject number>-<n><A|X>`. The subject number may use any accepted
 * abbreviation variant (蜀 for 川); the result carries the issued one.
 *
 * @throws RangeError for a malformed subject number or an `n` that is not a positive integer.
 */
export function formatServiceNumber(subjectNumber: string, n: number, serviceType: ServiceType): string {
  const subject = issuedSubjectNumber(subjectNumber);
  if (subject === undefined)
    throw new RangeError(`not an ICP subject number: ${JSON.stringify(subjectNumber)}`);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`service number n must be a positive integer, got ${n}`);
  return `${subject}-${n}${serviceSuffix(serviceType)}`;
}

/**
 * The subject number with the province's issued abbreviation (蜀ICP备… → 川ICP备…), for any subject
 * number the registration form accepts; undefined for anything else.
 */
export function issuedSubjectNumber(subjectNumber: string): string | undefined {
  const check = subjectNumberCheck(subjectNumber);
  if (!check.ok) return undefined;
  return `${issuedAbbreviation(check.province)}${subjectNumber.slice(1)}`;
}

export function serviceSuffix(serviceType: ServiceType): ServiceSuffix {
  switch (serviceType) {
    case 'app':
      return 'A';
    case 'mini_program':
      return 'X';
    default:
      return assertNever(serviceType, 'service type');
  }
}

export function serviceTypeOfSuffix(suffix: string): ServiceType | undefined {
  switch (suffix) {
    case 'A':
      return 'app';
    case 'X':
      return 'mini_program';
    default:
      return undefined;
  }
}

/** A subject number (`粤ICP备2026000123号`) or service number (`…号-2A`), either abbreviation variant. */
export function parseRegistrationNumber(text: string): RegistrationNumberParseResult {
  const trimmed = text.trim();
  const dash = trimmed.indexOf('-');
  const subjectText = dash === -1 ? trimmed : trimmed.slice(0, dash);
  const subject = parseSubjectNumber(subjectText);
  if (!subject.ok || dash === -1) return subject;

  const serviceText = trimmed.slice(dash + 1);
  const match = SERVICE_PART.exec(serviceText);
  if (!match) {
    return problem('service', `"-${serviceText}" is not a service part such as -1A or -2X`);
  }
  const [, digits = '', suffix = ''] = match;
  const serviceType = serviceTypeOfSuffix(suffix);
  if (!serviceType) {
    return problem(
      'service',
      suffix === ''
        ? `"-${serviceText}" has no suffix: apps end in A and mini programs in X (website numbers are not issued here)`
        : `suffix "${suffix}" is neither A (app) nor X (mini program)`,
    );
  }
  const n = Number(digits);
  const service = {
    n,
    serviceType,
    serviceNumber: `${subject.number.subjectNumber}-${n}${serviceSuffix(serviceType)}`,
  };
  return { ok: true, number: { ...subject.number, service } };
}

function parseSubjectNumber(text: string): RegistrationNumberParseResult {
  const check = subjectNumberCheck(text);
  if (!check.ok) {
    switch (check.problem) {
      case 'format':
        return problem('format', `"${text}" is not shaped like <province>ICP备<year><6 digits>号`);
      case 'province':
        return problem(
          'province',
          `"${text.slice(0, 1)}" is not the abbreviation of one of the 31 provinces`,
        );
      default:
        return assertNever(check.problem, 'subject number problem');
    }
  }
  const digits = SUBJECT_DIGITS.exec(text)?.[1] ?? '';
  const legacyFormat = digits.length === 8;
  if (digits.length !== 10 && !legacyFormat) {
    return problem(
      'format',
      `"${digits}" must be a 4-digit year and a 6-digit sequence (older numbers: 2 + 6 digits)`,
    );
  }
  const year = legacyFormat ? EARLIEST_YEAR + Number(digits.slice(0, 2)) : Number(digits.slice(0, 4));
  const sequence = Number(digits.slice(-6));
  if (year < EARLIEST_YEAR) return problem('year', `year ${digits.slice(0, 4)} is before ${EARLIEST_YEAR}`);
  if (sequence < 1) return problem('sequence', 'the sequence 000000 is never issued');
  const provinceCode = check.province.code;
  if (!isProvinceCode(provinceCode)) return problem('province', `no province has code ${provinceCode}`);
  const subjectNumber = `${issuedAbbreviation(check.province)}${text.slice(1)}`;
  return { ok: true, number: { provinceCode, year, sequence, subjectNumber, legacyFormat } };
}

function problem(kind: RegistrationNumberProblem, reason: string): RegistrationNumberParseResult {
  return { ok: false, problem: kind, reason };
}
