import type { OperatorCertificate, RegistrationForm } from '../form/registration-form';

/**
 * The certificate the operator is registered under: the operator section's credit code or (for an
 * individual) resident ID, else the certificate a form naming only its subject number carries.
 *
 * @throws Error for a form with neither (only a form that never passed validation lacks both).
 */
export function operatorCertificateOf(form: RegistrationForm): OperatorCertificate {
  const { operator } = form;
  if (operator !== undefined) {
    return operator.nature === 'individual'
      ? { type: 'resident_id', number: operator.idNumber }
      : { type: 'uscc', number: operator.creditCode };
  }
  if (form.operatorCertificate !== undefined) return form.operatorCertificate;
  throw new Error('operatorCertificateOf: the form names no operator certificate; validate it first');
}

/**
 * The key a subject is registered under: the operator's certificate, `uscc:<USCC>` for an
 * organisation or `id:<resident ID>` for an individual. Never shown; the registry stores its digest.
 */
export function subjectKeyOf(form: RegistrationForm): string {
  const certificate = operatorCertificateOf(form);
  return certificate.type === 'uscc' ? `uscc:${certificate.number}` : `id:${certificate.number}`;
}
