import type { Principal } from '../form/registration-form';
import type { FilingFacts } from './filing-state';

/** Whose 12381 check a filing needs: the subject's principal, or the service's (the app's). */
export type SmsRecipientRole = 'subject' | 'service';

/**
 * Whether the filing acts on the subject itself: a subject cancellation (its target names no
 * service) or a change that alters the subject's sections. Those are verified with the subject's
 * principal; everything else (a new registration, a service change, cancellation or new access) with
 * the app's.
 */
export function smsRecipientRoleOf(facts: Pick<FilingFacts, 'kind' | 'target'>): SmsRecipientRole {
  const { kind, target } = facts;
  if (kind === 'cancellation' && target !== undefined && target.serviceNumber === undefined) return 'subject';
  if (kind === 'change' && target?.alters?.subject === true) return 'subject';
  return 'service';
}

/**
 * The person the 12381 code goes to, whose ID suffix is the second factor and who is notified of the
 * outcome: `form.operatorPrincipal` for a filing acting on the subject (falling back to
 * `appPrincipal` when the form, naming only an existing subject, leaves it out), else `appPrincipal`.
 */
export function smsRecipientOf(facts: Pick<FilingFacts, 'kind' | 'target' | 'form'>): Principal {
  const { form } = facts;
  if (smsRecipientRoleOf(facts) === 'subject') return form.operatorPrincipal ?? form.appPrincipal;
  return form.appPrincipal;
}

/** The last six characters of a principal's ID number: the second factor of the 12381 check. */
export function idLast6Of(principal: Principal): string {
  return principal.idNumber.slice(-6).toUpperCase();
}
