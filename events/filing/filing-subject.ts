import type { RegistrationForm } from '../form/registration-form';

/**
 * The key numbers are allocated under: the existing subject number, else the operator's USCC or
 * (for an individual) resident ID. Never shown; the allocator stores only its digest.
 */
export function subjectKeyOf(form: RegistrationForm): string {
  if (form.existingSubjectNumber !== undefined) return `subject:${form.existingSubjectNumber}`;
  return form.operator.nature === 'individual'
    ? `id:${form.operator.idNumber}`
    : `uscc:${form.operator.creditCode}`;
}

/** The last six characters of the app principal's ID number: the second factor of the 12381 check. */
export function appPrincipalIdLast6(form: RegistrationForm): string {
  return form.appPrincipal.idNumber.slice(-6).toUpperCase();
}
