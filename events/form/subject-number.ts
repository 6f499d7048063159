import { type Province, provinceByAbbreviation, PROVINCES } from '../provinces';

/**
 * An ICP subject number as issued (粤ICP备2021012345号; older ones have 8 digits, 京ICP备05012345号;
 * licensed operators hold licence-style ones, 粤B2-20090059). Service numbers (…号-1A) are not
 * subject numbers.
 */
export type SubjectNumberCheck =
  | { readonly ok: true; readonly province: Province }
  | { readonly ok: false; readonly problem: 'format' | 'province' };

/** What follows the province's abbreviation, in either form; shared by the check and the published pattern. */
const AFTER_ABBREVIATION = 'ICP备[0-9]{6,10}号|B2-[0-9]{8}';
const SUBJECT_NUMBER = new RegExp(`^(\\p{Script=Han})(?:${AFTER_ABBREVIATION})$`, 'u');

/** Every abbreviation a province's numbers may start with (川 and 蜀 both give Sichuan). */
export const PROVINCE_ABBREVIATIONS: readonly string[] = PROVINCES.flatMap((p) => p.abbreviations);

/** The numbers `subjectNumberCheck` accepts, as one expression (published in OpenAPI). */
export const SUBJECT_NUMBER_PATTERN = `^(?:${PROVINCE_ABBREVIATIONS.join('|')})(?:${AFTER_ABBREVIATION})$`;

export function subjectNumberCheck(value: string): SubjectNumberCheck {
  const match = SUBJECT_NUMBER.exec(value);
  if (!match) return { ok: false, problem: 'format' };
  const province = provinceByAbbreviation(match[1] ?? '');
  return province ? { ok: true, province } : { ok: false, problem: 'province' };
}
