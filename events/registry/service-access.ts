import type { Json, RecordedEvent } from '../ports/event-log.port';
import type { RegistryErrorCode } from './registry-errors';
import { decodeServiceEvent } from './registry-events';
import { type ServiceState, sameIspName } from './service';

/**
 * What an ISP's withdrawal of its access (取消接入) needs besides the service decider (`decideService`,
 * command `WithdrawAccess`, which alone decides it): which services an ISP may see, how the decider's
 * refusals read to the ISP, and whom to tell.
 */

/** Why a withdrawal is refused, as the API names it; nothing is recorded. */
export type WithdrawAccessRefusal =
  /** No such service, or one this ISP never served (the same answer: an ISP sees only its accesses). */
  | 'service_not_found'
  | 'service_cancelled'
  | 'access_already_withdrawn'
  /** The withdrawal id (the request's key) was already used for another withdrawal. */
  | 'withdrawal_id_reused';

/** The service's public status once a withdrawal is recorded (a cancelled service takes none). */
export type WithdrawnServiceStatus = 'active' | 'access_withdrawn';

/**
 * The filing whose form names the ISP of a service registered before accesses were kept
 * (`ServiceRegistered` without `accesses`); undefined for any other service, and for an imported one.
 */
export function legacyAccessFilingOf(state: ServiceState): string | undefined {
  if (state.status === 'unregistered' || state.registered.accesses !== undefined) return undefined;
  return state.registered.filingId;
}

/**
 * Whether the ISP may see the service (an ISP sees only its accesses): it served it at some point, by
 * `ServiceRegistered.accesses` or a `ServiceAccessAdded`; for a service registered before accesses were
 * kept, `legacyIspName` is the ISP its registering filing's form names (see `legacyAccessFilingOf`).
 */
export function isInIspScope(state: ServiceState, ispName: string, legacyIspName?: string): boolean {
  if (state.status === 'unregistered') return false;
  const registeredWith =
    state.registered.accesses?.map((access) => access.ispName) ??
    (legacyIspName === undefined ? [] : [legacyIspName]);
  const served = [...registeredWith, ...state.accessesAdded.map((access) => access.ispName)];
  return served.some((isp) => sameIspName(isp, ispName));
}

const REFUSALS: Partial<Record<RegistryErrorCode, WithdrawAccessRefusal>> = {
  service_not_registered: 'service_not_found',
  service_cancelled: 'service_cancelled',
  // In the ISP's scope (checked first) but giving no access: it withdrew it.
  no_such_access: 'access_already_withdrawn',
  withdrawal_conflict: 'withdrawal_id_reused',
};

/**
 * The decider's refusal of `WithdrawAccess` as the API names it, for an ISP whose scope was checked
 * (`isInIspScope`); undefined for a code the decider does not give that command.
 */
export function withdrawalRefusalOf(code: RegistryErrorCode): WithdrawAccessRefusal | undefined {
  return REFUSALS[code];
}

/** The filing behind the service's latest version or access (registration, change, new access). */
export function latestFilingIdOf(serviceEvents: readonly RecordedEvent[]): string | undefined {
  for (const recorded of [...serviceEvents].reverse()) {
    const event = decodeServiceEvent(recorded);
    if (
      event.type === 'ServiceRegistered' ||
      event.type === 'ServiceChanged' ||
      event.type === 'ServiceAccessAdded'
    ) {
      return event.data.filingId;
    }
  }
  return undefined;
}

/** `access.ispName` of a filing's latest form (its last FilingSubmitted or FilingCorrected). */
export function ispNameOfFiling(filingEvents: readonly RecordedEvent[]): string | undefined {
  return formPartOf(filingEvents, (form) => {
    const ispName = objectOf(form.access).ispName;
    return typeof ispName === 'string' && ispName !== '' ? ispName : undefined;
  });
}

/** Whom to tell about the service: the applicant (appPrincipal) of a filing's latest form. */
export function applicantContactsOfFiling(
  filingEvents: readonly RecordedEvent[],
): { mobile: string; email: string } | undefined {
  return formPartOf(filingEvents, (form) => {
    const { mobile, email } = objectOf(form.appPrincipal);
    return typeof mobile === 'string' && typeof email === 'string' && mobile !== '' && email !== ''
      ? { mobile, email }
      : undefined;
  });
}

function formPartOf<T>(
  filingEvents: readonly RecordedEvent[],
  part: (form: { readonly [key: string]: Json | undefined }) => T | undefined,
): T | undefined {
  const latest = filingEvents
    .filter((event) => event.type === 'FilingSubmitted' || event.type === 'FilingCorrected')
    .at(-1);
  return latest && part(objectOf(objectOf(latest.data).form));
}

function objectOf(value: Json | undefined): { readonly [key: string]: Json | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
