import { isProvinceCode, PROVINCES } from '../../provinces';
import { SUBJECT_NUMBER_PATTERN, subjectNumberCheck as checkSubjectNumber } from '../subject-number';
import type { Finding } from '../schema/form-issues';
import type { TextCheck } from '../schema/text-check';

const NO_FINDINGS: readonly Finding[] = [];

/** The GB/T 2260 codes of the 31 provinces, published as an enum. */
export const PROVINCE_CODES: readonly string[] = PROVINCES.map((province) => province.code);

export const provinceCodeCheck: TextCheck = {
  findings: (value) => (isProvinceCode(value) ? NO_FINDINGS : UNKNOWN_PROVINCE),
  jsonSchema: { enum: PROVINCE_CODES },
};

const UNKNOWN_PROVINCE: readonly Finding[] = [
  {
    rule: 'unknown_province',
    message: 'must be the GB/T 2260 code of one of the 31 provinces, such as 440000 for Guangdong',
  },
];

export const subjectNumberCheck: TextCheck = {
  findings: subjectNumberFindings,
  jsonSchema: { pattern: SUBJECT_NUMBER_PATTERN },
};

function subjectNumberFindings(value: string): readonly Finding[] {
  const check = checkSubjectNumber(value);
  if (check.ok) return NO_FINDINGS;
  return check.problem === 'format'
    ? [
        {
          rule: 'subject_number_format',
          message: 'must be an ICP subject number such as 粤ICP备2024000123号, without a service suffix',
        },
      ]
    : [
        {
          rule: 'unknown_province',
          message: 'does not start with the abbreviation of one of the 31 provinces',
        },
      ];
}
