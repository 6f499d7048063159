import { isProvinceCode } from '../../provinces';
import { subjectNumberCheck } from '../subject-number';
import type { Finding } from '../schema/form-issues';

const NO_FINDINGS: readonly Finding[] = [];

export function provinceCodeFindings(value: string): readonly Finding[] {
  return isProvinceCode(value)
    ? NO_FINDINGS
    : [
        {
          rule: 'unknown_province',
          message: 'must be the GB/T 2260 code of one of the 31 provinces, such as 440000 for Guangdong',
        },
      ];
}

export function subjectNumberFindings(value: string): readonly Finding[] {
  const check = subjectNumberCheck(value);
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
