import { subjectNumberCheck } from './form/subject-number';
import { type ProvinceCode, isProvinceCode, issuedAbbreviation, provinceByCode } from './provinces';

/**
 * ICP registration numbers as MIIT issues them. A subject (the operator, keyed by USCC or resident ID)
 * holds one subject number per province: `粤ICP备2026000123号` today; subjects registered earlier may
 * hold an older `京ICP备05012345号` or a licence-style `粤B2-20090059`. All of a subject's services
 * share one sequence from 1, each number with its type's suffix: websites none (`-1`), apps `A`
 * (`-2A`), mini programs `X` (`-3X`), quick apps `K` (`-4K`), e.g. `粤B2-20090059-1626X`.
 */

export interface SubjectNumberParts {
  readonly provinceCode: ProvinceCode;
  /** Four-digit year of issue. */
  readonly year: number;
  /** 1–999999, printed as six digits. */
  readonly sequence: number;
}

export const MAX_SUBJECT_SEQUENCE = 999_999;

/** The suffix of each registered service type; only apps and mini programs are filed here today. */
export const SERVICE_SUFFIXES = { website: '', app: 'A', mini_program: 'X', quick_app: 'K' } as const;

export type RegisteredServiceType = keyof typeof SERVICE_SUFFIXES;
export type ServiceSuffix = (typeof SERVICE_SUFFIXES)[RegisteredServiceType];

/** `icp`: `粤ICP备2026000123号`; `icp_legacy`: `京ICP备05012345号`; `licence`: `粤B2-20090059`. */
export type SubjectNumberFormat = 'icp' | 'icp_legacy' | 'licence';

export interface ServicePart {
  readonly n: number;
  readonly serviceType: RegisteredServiceType;
  /** The whole service number as issued, e.g. `粤ICP备2026000123号-2A`. */
  readonly serviceNumber: string;
}

export interface ParsedRegistrationNumber {
  readonly provinceCode: ProvinceCode;
  readonly year: number;
  readonly sequence: number;
  /** The subject number as issued: the province's first abbreviation, whichever variant was given. */
  readonly subjectNumber: string;
  /** Only `icp` numbers are issued by this system; the others are held by subjects registered before. */
  readonly format: SubjectNumberFormat;
  /** Present for a service number. */
  readonly service?: ServicePart;
}

export type RegistrationNumberProblem = 'format' | 'province' | 'year' | 'sequence' | 'service';

export type RegistrationNumberParseResult =
  | { readonly ok: true; readonly number: ParsedRegistrationNumber }
  | { readonly ok: false; readonly problem: RegistrationNumberProblem; readonly reason: string };

/** A subject number, then optionally `-<anything>` for the service part. */
const NUMBER_PARTS = /^(\p{Script=Han}(?:ICP备[^-]*号|B2-[^-]*))(?:-(.*))?$/su;
const ICP_DIGITS = /^\p{Script=Han}ICP备(\d+)号$/u;
const LICENCE_DIGITS = /^\p{Script=Han}B2-(\d{8})$/u;
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
 * The service number `<subject number>-<n><suffix>`. The subject number may use any accepted
 * abbreviation variant (蜀 for 川); the result carries the issued one.
 *
 * @throws RangeError for a malformed subject number or an `n` that is not a positive integer.
 */
export function formatServiceNumber(
  subjectNumber: string,
  n: number,
  serviceType: RegisteredServiceType,
): string {
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

export function serviceSuffix(serviceType: RegisteredServiceType): ServiceSuffix {
  return SERVICE_SUFFIXES[serviceType];
}

export function serviceTypeOfSuffix(suffix: string): RegisteredServiceType | undefined {
  const types = Object.keys(SERVICE_SUFFIXES) as RegisteredServiceType[];
  return types.find((type) => SERVICE_SUFFIXES[type] === suffix);
}

/** A subject number or a service number (`…号-2A`, `粤B2-20090059-1626X`), either abbreviation variant. */
export function parseRegistrationNumber(text: string): RegistrationNumberParseResult {
  const trimmed = text.trim();
  const [, subjectText = trimmed, serviceText] = NUMBER_PARTS.exec(trimmed) ?? [];
  const subject = parseSubjectNumber(subjectText);
  if (!subject.ok || serviceText === undefined) return subject;

  const match = SERVICE_PART.exec(serviceText);
  if (!match) {
    return problem('service', `"-${serviceText}" is not a service part such as -1, -2A, -3X or -4K`);
  }
  const [, digits = '', suffix = ''] = match;
  const serviceType = serviceTypeOfSuffix(suffix);
  if (!serviceType) {
    return problem(
      'service',
      `suffix "${suffix}" is none of A (app), X (mini program), K (quick app) or none (website)`,
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
    return check.problem === 'province'
      ? problem('province', `"${text.slice(0, 1)}" is not the abbreviation of one of the 31 provinces`)
      : problem(
          'format',
          `"${text}" is not shaped like <province>ICP备<year><6 digits>号 or <province>B2-<8 digits>`,
        );
  }
  const digits = digitsOf(text);
  if (digits === undefined) {
    return problem(
      'format',
      `"${text}" must hold a 4-digit year and a 6-digit sequence (older numbers: 2 + 6 digits)`,
    );
  }
  const { format, year, sequence } = digits;
  if (year < EARLIEST_YEAR) return problem('year', `year ${year} is before ${EARLIEST_YEAR}`);
  if (sequence < 1) return problem('sequence', 'the sequence 000000 is never issued');
  const provinceCode = check.province.code;
  if (!isProvinceCode(provinceCode)) return problem('province', `no province has code ${provinceCode}`);
  const subjectNumber = `${issuedAbbreviation(check.province)}${text.slice(1)}`;
  return { ok: true, number: { provinceCode, year, sequence, subjectNumber, format } };
}

/** Year and sequence of each format: `2026` + `000123`; `05` + `012345`; licence `2009` + `0059`. */
function digitsOf(text: string): { format: SubjectNumberFormat; year: number; sequence: number } | undefined {
  const licence = LICENCE_DIGITS.exec(text)?.[1];
  if (licence !== undefined) {
    return { format: 'licence', year: Number(licence.slice(0, 4)), sequence: Number(licence.slice(4)) };
  }
  const digits = ICP_DIGITS.exec(text)?.[1] ?? '';
  if (digits.length === 8) {
    return {
      format: 'icp_legacy',
      year: EARLIEST_YEAR + Number(digits.slice(0, 2)),
      sequence: Number(digits.slice(2)),
    };
  }
  if (digits.length !== 10) return undefined;
  return { format: 'icp', year: Number(digits.slice(0, 4)), sequence: Number(digits.slice(4)) };
}

function problem(kind: RegistrationNumberProblem, reason: string): RegistrationNumberParseResult {
  return { ok: false, problem: kind, reason };
}
