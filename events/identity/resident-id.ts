import { isRealDate } from '../calendar-date';
import { isProvincePrefix } from '../provinces';

/**
 * Citizen identification numbers (GB 11643-1999): six-digit area code, eight-digit birth date,
 * three-digit sequence, one check character. Holders' residence permits for Hong Kong, Macao and
 * Taiwan residents (港澳台居民居住证) use the same layout with area codes 810000, 820000, 830000.
 */

export type ResidentIdProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export type ResidentIdCheck =
  | { readonly ok: true; readonly areaCode: string; readonly birthDate: string }
  | { readonly ok: false; readonly problems: readonly ResidentIdProblem[] };

export interface ResidentIdOptions {
  /** `YYYY-MM-DD`; a birth date after it is not real (pass the submission date). */
  readonly notBornAfter?: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const LAYOUT = /^\d{17}[\dX]$/;
const EARLIEST_BIRTH_YEAR = 1900;
export const PERMIT_AREA_CODES: readonly string[] = ['810000', '820000', '830000'];

/** The check character for the first 17 digits (S mod 11 → 1 0 X 9 8 7 6 5 4 3 2). */
export function gb11643CheckCharacter(first17Digits: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i += 1) sum += Number(first17Digits[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/** A mainland resident identity card number: every problem found, or the facts it encodes. */
export function residentIdCheck(id: string, options: ResidentIdOptions = {}): ResidentIdCheck {
  return checkGb11643(id, (areaCode) => isProvincePrefix(areaCode.slice(0, 2)), options);
}

/** A residence permit for Hong Kong, Macao or Taiwan residents (area code 810000, 820000 or 830000). */
export function residencePermitCheck(id: string, options: ResidentIdOptions = {}): ResidentIdCheck {
  return checkGb11643(id, (areaCode) => PERMIT_AREA_CODES.includes(areaCode), options);
}

function checkGb11643(
  id: string,
  isPlausibleArea: (areaCode: string) => boolean,
  options: ResidentIdOptions,
): ResidentIdCheck {
  if (!LAYOUT.test(id)) return { ok: false, problems: ['format'] };
  const problems: ResidentIdProblem[] = [];
  const areaCode = id.slice(0, 6);
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isPlausibleArea(areaCode)) problems.push('region');
  if (!isPlausibleBirthDate(birthDate, options.notBornAfter)) problems.push('birth_date');
  if (gb11643CheckCharacter(id.slice(0, 17)) !== id.charAt(17)) problems.push('checksum');
  return problems.length === 0 ? { ok: true, areaCode, birthDate } : { ok: false, problems };
}

function isPlausibleBirthDate(birthDate: string, notBornAfter: string | undefined): boolean {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) return false;
  return notBornAfter === undefined || birthDate <= notBornAfter;
}
