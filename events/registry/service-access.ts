import type { Json, RecordedEvent } from '../ports/event-log.port';
import {
  CorruptRegistryStreamError,
  type DecodableEvent,
  decodeServiceEvent,
  type ServiceAccessWithdrawnData,
  type ServiceRegisteredData,
} from './registry-events';

/**
 * Which ISPs give a service network access, folded from its stream, and the decision of an ISP to
 * withdraw its own access (取消接入). A local fold kept apart from `service.ts` so that it can give way to
 * `decideService` (command `WithdrawAccess`) once that decider folds the service's whole life: the
 * command and the refusals are named as that decider names them.
 */

/** The service's public status: `access_withdrawn` once no ISP serves it, `cancelled` for good. */
export type ServiceAccessStatus = 'active' | 'access_withdrawn' | 'cancelled';

export interface ServiceAccessState {
  readonly serviceNumber: string;
  /** The service's current name (ServiceRegistered, then each ServiceChanged). */
  readonly name: string;
  /**
   * The ISPs serving it now; undefined while unknown (registered before accesses were kept, with no
   * filing to tell: an imported service), which counts as active.
   */
  readonly accesses?: readonly string[];
  /** Every ISP that served it at some point: an ISP's scope. */
  readonly everServedBy: readonly string[];
  readonly cancelled: boolean;
  /** The filing behind the service's latest version or access (registration, change, new access). */
  readonly latestFilingId?: string;
  readonly withdrawals: readonly ServiceAccessWithdrawnData[];
}

export type WithdrawAccessCommand = {
  readonly type: 'WithdrawAccess';
  readonly withdrawalId: string;
  readonly ispName: string;
  readonly reason: string;
  /** China date (YYYY-MM-DD). */
  readonly withdrawnOn: string;
};

/** Why a withdrawal is refused; nothing is recorded. */
export type WithdrawAccessRefusal =
  /** No such service, or one this ISP never served (the same answer: an ISP sees only its accesses). */
  | 'service_not_found'
  | 'service_cancelled'
  | 'access_already_withdrawn'
  /** The withdrawal id (the request's key) was already used for another withdrawal. */
  | 'withdrawal_id_reused';

export type WithdrawAccessDecision =
  | {
      readonly ok: true;
      /** Empty when this very withdrawal is already recorded (a retry). */
      readonly events: readonly { type: 'ServiceAccessWithdrawn'; data: ServiceAccessWithdrawnData }[];
      /** The service's status once the withdrawal is recorded. */
      readonly status: ServiceAccessStatus;
    }
  | { readonly ok: false; readonly refusal: WithdrawAccessRefusal };

/** ISP names compare as people write them: full-width characters folded, spaces around dropped. */
export function sameIspName(a: string, b: string): boolean {
  return normalizeIspName(a) === normalizeIspName(b);
}

function normalizeIspName(name: string): string {
  return name.normalize('NFKC').trim();
}

export function statusOfServiceAccess(state: ServiceAccessState): ServiceAccessStatus {
  if (state.cancelled) return 'cancelled';
  return state.accesses === undefined || state.accesses.length > 0 ? 'active' : 'access_withdrawn';
}

/**
 * The filing whose form names the ISP of a service registered before accesses were kept
 * (`ServiceRegistered` without `accesses`); undefined when the stream names its accesses or has none.
 */
export function filingNamingLegacyAccess(serviceEvents: readonly RecordedEvent[]): string | undefined {
  const registered = serviceEvents.find((event) => event.type === 'ServiceRegistered');
  if (!registered || objectOf(registered.data).accesses !== undefined) return undefined;
  return registeredData(registered).filingId;
}

/** ServiceRegistered's data, decoded as every reader of the registry decodes it. */
function registeredData(recorded: RecordedEvent): ServiceRegisteredData {
  const decoded = decodeServiceEvent(recorded);
  if (decoded.type !== 'ServiceRegistered') {
    throw new CorruptRegistryStreamError(recorded, 'not a ServiceRegistered event');
  }
  return decoded.data;
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

/**
 * The service stream folded; undefined when the stream is empty. `legacyIspName`: the ISP of a
 * service registered before accesses were kept (see `filingNamingLegacyAccess`).
 */
export function foldServiceAccess(
  serviceEvents: readonly RecordedEvent[],
  legacyIspName?: string,
): ServiceAccessState | undefined {
  let state: ServiceAccessState | undefined;
  for (const recorded of serviceEvents) {
    state = evolveServiceAccess(state, recorded, legacyIspName);
  }
  return state;
}

function evolveServiceAccess(
  state: ServiceAccessState | undefined,
  recorded: RecordedEvent,
  legacyIspName: string | undefined,
): ServiceAccessState {
  if (recorded.type === 'ServiceRegistered') {
    if (state) throw new CorruptRegistryStreamError(recorded, 'the service is registered twice');
    return registeredState(recorded, legacyIspName);
  }
  if (!state) throw new CorruptRegistryStreamError(recorded, 'the service is not registered yet');
  if (state.cancelled) throw new CorruptRegistryStreamError(recorded, 'the service is cancelled');
  const data = objectOf(recorded.data);
  switch (recorded.type) {
    case 'ServiceChanged':
      return {
        ...state,
        name: text(recorded, data, 'name'),
        latestFilingId: text(recorded, data, 'filingId'),
      };
    case 'ServiceAccessAdded': {
      const ispName = text(recorded, data, 'ispName');
      return {
        ...state,
        accesses: [...(state.accesses ?? []), ispName],
        everServedBy: [...state.everServedBy, ispName],
        latestFilingId: text(recorded, data, 'filingId'),
      };
    }
    case 'ServiceAccessWithdrawn': {
      const withdrawal: ServiceAccessWithdrawnData = {
        withdrawalId: text(recorded, data, 'withdrawalId'),
        ispName: text(recorded, data, 'ispName'),
        reason: text(recorded, data, 'reason'),
        withdrawnOn: text(recorded, data, 'withdrawnOn'),
      };
      return {
        ...state,
        accesses: (state.accesses ?? []).filter((isp) => !sameIspName(isp, withdrawal.ispName)),
        withdrawals: [...state.withdrawals, withdrawal],
      };
    }
    case 'ServiceCancelled':
      return { ...state, cancelled: true };
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of a service stream');
  }
}

function registeredState(recorded: RecordedEvent, legacyIspName: string | undefined): ServiceAccessState {
  const registered = registeredData(recorded);
  const listed = objectOf(recorded.data).accesses;
  let accesses: string[] | undefined;
  if (Array.isArray(listed)) {
    accesses = listed.map((access, index) =>
      text(recorded, objectOf(access), 'ispName', `accesses[${index}]`),
    );
  } else if (listed !== undefined) {
    throw new CorruptRegistryStreamError(recorded, 'data.accesses is not a list');
  } else if (legacyIspName !== undefined) {
    accesses = [legacyIspName];
  }
  return {
    serviceNumber: registered.serviceNumber,
    name: registered.name,
    ...(accesses ? { accesses } : {}),
    everServedBy: accesses ?? [],
    cancelled: false,
    ...(registered.filingId ? { latestFilingId: registered.filingId } : {}),
    withdrawals: [],
  };
}

/**
 * An ISP withdraws its access. Refused (nothing recorded) when there is no service, the ISP never
 * served it, it is cancelled, or this ISP's access is already withdrawn; the same withdrawal again
 * (same id, ISP and reason) records nothing and answers as the first time.
 */
export function decideWithdrawAccess(
  state: ServiceAccessState | undefined,
  command: WithdrawAccessCommand,
): WithdrawAccessDecision {
  if (!state || !state.everServedBy.some((isp) => sameIspName(isp, command.ispName))) {
    return { ok: false, refusal: 'service_not_found' };
  }
  const earlier = state.withdrawals.find((withdrawal) => withdrawal.withdrawalId === command.withdrawalId);
  if (earlier) {
    const same = sameIspName(earlier.ispName, command.ispName) && earlier.reason === command.reason;
    return same
      ? { ok: true, events: [], status: statusOfServiceAccess(state) }
      : { ok: false, refusal: 'withdrawal_id_reused' };
  }
  if (state.cancelled) return { ok: false, refusal: 'service_cancelled' };
  const current = (state.accesses ?? []).find((isp) => sameIspName(isp, command.ispName));
  if (current === undefined) return { ok: false, refusal: 'access_already_withdrawn' };
  const data: ServiceAccessWithdrawnData = {
    withdrawalId: command.withdrawalId,
    ispName: current,
    reason: command.reason,
    withdrawnOn: command.withdrawnOn,
  };
  const remaining = (state.accesses ?? []).filter((isp) => !sameIspName(isp, command.ispName));
  return {
    ok: true,
    events: [{ type: 'ServiceAccessWithdrawn', data }],
    status: remaining.length > 0 ? 'active' : 'access_withdrawn',
  };
}

function objectOf(value: Json | undefined): { readonly [key: string]: Json | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function text(
  recorded: DecodableEvent,
  data: { readonly [key: string]: Json | undefined },
  key: string,
  at = 'data',
): string {
  const value = data[key];
  if (typeof value !== 'string' || value === '') {
    throw new CorruptRegistryStreamError(recorded, `${at}.${key} is not a non-empty string`);
  }
  return value;
}
