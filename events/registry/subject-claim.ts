import { subjectKeyOf } from '../filing/filing-subject';
import type { RegistrationForm } from '../form/registration-form';
import { subjectNumberCheck } from '../form/subject-number';
import { issuedSubjectNumber } from '../registration-number';
import { subjectKeyDigestOf, subjectStreamId } from './registry-streams';
import type { SubjectState } from './subject';

/** The rule a form breaks when the subject number it names is not its certificate's. */
export const SUBJECT_NUMBER_NOT_REGISTERED = 'subject_number_not_registered';

/**
 * The subject stream a form naming `existingSubjectNumber` must find its subject in: the subject
 * number's province, the form's certificate. Undefined for a form that names no subject number.
 */
export function claimedSubjectStreamId(form: RegistrationForm): string | undefined {
  if (form.existingSubjectNumber === undefined) return undefined;
  const check = subjectNumberCheck(form.existingSubjectNumber);
  if (!check.ok) return undefined;
  return subjectStreamId(check.province.code, subjectKeyDigestOf(subjectKeyOf(form)));
}

/**
 * Why the registry does not back the subject number the form names, or undefined when it does: the
 * certificate the form carries must hold exactly that number. Says nothing of the certificate itself.
 */
export function subjectClaimRefusal(form: RegistrationForm, subject: SubjectState): string | undefined {
  const named = form.existingSubjectNumber;
  if (named === undefined) return undefined;
  if (subject.status === 'unregistered') {
    return `${named} is not in the registry under the operator certificate this form carries`;
  }
  const held = subject.registration.subjectNumber;
  if (issuedSubjectNumber(named) !== held) {
    return `the operator certificate this form carries holds ${held}, not ${named}`;
  }
  return undefined;
}
