import { type Province, provinceByCode } from '../provinces';
import type { RegistrationForm } from './registration-form';
import { subjectNumberCheck } from './subject-number';

/**
 * The province whose communications bureau reviews the filing: the one that issued the existing
 * subject number, otherwise the operator's. Validation guarantees the two agree when both are given.
 *
 * @throws Error for a form that did not pass `validateRegistrationForm`.
 */
export function domicileProvinceOf(form: RegistrationForm): Province {
  const province =
    form.existingSubjectNumber === undefined
      ? provinceByCode(form.operator.province)
      : subjectNumberProvince(form.existingSubjectNumber);
  if (!province) throw new Error('domicileProvinceOf: the form names no known province; validate it first');
  return province;
}

function subjectNumberProvince(subjectNumber: string): Province | undefined {
  const check = subjectNumberCheck(subjectNumber);
  return check.ok ? check.province : undefined;
}
