import { assertNever } from '../assert-never';
import { canonicalJson } from '../canonical-json';
import type { RecordedEvent } from '../ports/event-log.port';
import { RegistryDomainError } from './registry-errors';
import {
  CorruptRegistryStreamError,
  type ServiceAccessAddedData,
  type ServiceAccessWithdrawnData,
  type ServiceCancelledData,
  type ServiceChangedData,
  type ServiceEvent,
  type ServiceRegisteredData,
  decodeServiceEvent,
} from './registry-events';

/** What one version of a service states (ServiceRegistered is version 1, each ServiceChanged the next). */
export type ServiceFacts = Pick<
  ServiceChangedData,
  'name' | 'identifiers' | 'preApprovalCategories' | 'operatorName' | 'operatorNature'
>;

export interface ServiceVersion extends ServiceFacts {
  readonly version: number;
  /** The filing that made it; absent for an imported registration. */
  readonly filingId?: string;
  /** China date (YYYY-MM-DD) it took effect: approvedOn, then changedOn. */
  readonly since: string;
}

/** What a registered service is, whatever its status. */
export interface ServiceRecord {
  /** The registration as recorded (version 1), kept whole so a retried issuance is recognised. */
  readonly registered: ServiceRegisteredData;
  /** The current version's facts. */
  readonly current: ServiceVersion;
  readonly version: number;
  /** The ISPs serving it; undefined when unknown (registered before accesses were kept). */
  readonly accesses: readonly string[] | undefined;
  /** Every version, oldest first; the last one is `current`. */
  readonly versions: readonly ServiceVersion[];
  readonly accessesAdded: readonly ServiceAccessAddedData[];
  readonly withdrawals: readonly ServiceAccessWithdrawnData[];
  /**
   * The ISPs whose withdrawal is their latest word (no access added through them since): known to give
   * no access even while the accesses are unknown.
   */
  readonly withdrawnBy: readonly string[];
}

/**
 * One service number's life: `active` (at least one access, or accesses unknown), `access_withdrawn`
 * (no ISP serves it any more), `cancelled` (final: nothing may follow).
 */
export type ServiceState =
  | { readonly status: 'unregistered' }
  | (ServiceRecord & { readonly status: 'active' | 'access_withdrawn' })
  | (ServiceRecord & { readonly status: 'cancelled'; readonly cancellation: ServiceCancelledData });

export type ServiceStatus = ServiceState['status'];
export type RegisteredServiceState = Exclude<ServiceState, { status: 'unregistered' }>;

export const initialServiceState: ServiceState = { status: 'unregistered' };

export type ServiceCommand =
  | { readonly type: 'RegisterService'; readonly service: ServiceRegisteredData }
  | {
      readonly type: 'ChangeService';
      readonly filingId: string;
      readonly facts: ServiceFacts;
      readonly changedOn: string;
    }
  | {
      readonly type: 'AddAccess';
      readonly filingId: string;
      readonly ispName: string;
      readonly addedOn: string;
    }
  | {
      readonly type: 'WithdrawAccess';
      readonly withdrawalId: string;
      readonly ispName: string;
      readonly reason: string;
      readonly withdrawnOn: string;
    }
  | {
      readonly type: 'CancelService';
      readonly filingId: string;
      readonly cancelledOn: string;
      readonly scope: ServiceCancelledData['scope'];
    };

type CommandOf<T extends ServiceCommand['type']> = Extract<ServiceCommand, { type: T }>;

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'ServiceRegistered':
      if (state.status !== 'unregistered') throw illegal('the service is registered twice');
      return registeredState(event.data);
    case 'ServiceChanged': {
      const live = liveService(state, event.type);
      if (event.data.version !== live.version + 1) {
        throw illegal(`version ${event.data.version} follows version ${live.version}`);
      }
      const { filingId, version, changedOn, ...facts } = event.data;
      const current: ServiceVersion = { ...facts, version, filingId, since: changedOn };
      return { ...live, current, version, versions: [...live.versions, current] };
    }
    case 'ServiceAccessAdded': {
      const live = liveService(state, event.type);
      const accesses = live.accesses && [...live.accesses, event.data.ispName];
      const accessesAdded = [...live.accessesAdded, event.data];
      const withdrawnBy = live.withdrawnBy.filter((ispName) => !sameIspName(ispName, event.data.ispName));
      return { ...live, status: 'active', accesses, accessesAdded, withdrawnBy };
    }
    case 'ServiceAccessWithdrawn': {
      const live = liveService(state, event.type);
      const accesses = live.accesses?.filter((ispName) => ispName !== event.data.ispName);
      const withdrawals = [...live.withdrawals, event.data];
      const withdrawnBy = [...live.withdrawnBy, event.data.ispName];
      return { ...live, status: statusOf(accesses), accesses, withdrawals, withdrawnBy };
    }
    case 'ServiceCancelled': {
      const live = liveService(state, event.type);
      return { ...live, status: 'cancelled', cancellation: event.data };
    }
    default:
      return assertNever(event, 'service event');
  }
}

function registeredState(service: ServiceRegisteredData): ServiceState {
  const current: ServiceVersion = {
    name: service.name,
    identifiers: service.identifiers,
    preApprovalCategories: service.preApprovalCategories,
    operatorName: service.operatorName,
    operatorNature: service.operatorNature,
    version: 1,
    ...(service.filingId === undefined ? {} : { filingId: service.filingId }),
    since: service.approvedOn,
  };
  const accesses = service.accesses?.map((access) => access.ispName);
  return {
    status: statusOf(accesses),
    registered: service,
    current,
    version: 1,
    accesses,
    versions: [current],
    accessesAdded: [],
    withdrawals: [],
    withdrawnBy: [],
  };
}

function statusOf(accesses: readonly string[] | undefined): 'active' | 'access_withdrawn' {
  return accesses === undefined || accesses.length > 0 ? 'active' : 'access_withdrawn';
}

/** The service as it stands, for an event that needs it registered and not cancelled. */
function liveService(state: ServiceState, type: string) {
  if (state.status === 'unregistered') throw illegal(`${type} before ServiceRegistered`);
  if (state.status === 'cancelled') throw illegal(`${type} after ServiceCancelled`);
  return state;
}

/** The service stream as stored, folded; an event its state does not allow is a corrupt stream. */
export function foldService(events: readonly RecordedEvent[]): ServiceState {
  return events.reduce((state, recorded) => {
    try {
      return evolveService(state, decodeServiceEvent(recorded));
    } catch (error) {
      if (error instanceof RegistryDomainError) throw new CorruptRegistryStreamError(recorded, error.message);
      throw error;
    }
  }, initialServiceState);
}

export function decideService(command: ServiceCommand, state: ServiceState): ServiceEvent[] {
  switch (command.type) {
    case 'RegisterService':
      return decideRegisterService(command, state);
    case 'ChangeService':
      return decideChangeService(command, state);
    case 'AddAccess':
      return decideAddAccess(command, state);
    case 'WithdrawAccess':
      return decideWithdrawAccess(command, state);
    case 'CancelService':
      return decideCancelService(command, state);
    default:
      return assertNever(command, 'service command');
  }
}

/** Registering the same facts again (a retried issuance) changes nothing; other facts are refused. */
function decideRegisterService(command: CommandOf<'RegisterService'>, state: ServiceState): ServiceEvent[] {
  if (state.status === 'unregistered') return [{ type: 'ServiceRegistered', data: command.service }];
  if (canonicalJson(state.registered) === canonicalJson(command.service)) return [];
  throw new RegistryDomainError(
    'service_already_registered',
    `${state.registered.serviceNumber} is already registered with other facts`,
  );
}

/** The next version, in full; a retried filing that made a version with the same facts changes nothing. */
function decideChangeService(command: CommandOf<'ChangeService'>, state: ServiceState): ServiceEvent[] {
  const service = registered(state);
  const made = service.versions.find((version) => version.filingId === command.filingId);
  if (made) {
    if (sameFacts(made, command.facts)) return [];
    throw alreadyApplied(command.filingId, `made version ${made.version} with other facts`);
  }
  assertNotCancelled(service);
  const data: ServiceChangedData = {
    filingId: command.filingId,
    version: service.version + 1,
    changedOn: command.changedOn,
    ...factsOf(command.facts),
  };
  return [{ type: 'ServiceChanged', data }];
}

/** Another ISP serves the service (an access_withdrawn one is active again); never one it has. */
function decideAddAccess(command: CommandOf<'AddAccess'>, state: ServiceState): ServiceEvent[] {
  const service = registered(state);
  const added = service.accessesAdded.find((access) => access.filingId === command.filingId);
  if (added) {
    if (added.ispName === command.ispName) return [];
    throw alreadyApplied(command.filingId, `added access through another ISP`);
  }
  assertNotCancelled(service);
  if (service.accesses?.includes(command.ispName)) {
    throw new RegistryDomainError('access_exists', 'the ISP already gives the service access');
  }
  const { filingId, ispName, addedOn } = command;
  return [{ type: 'ServiceAccessAdded', data: { filingId, ispName, addedOn } }];
}

/**
 * The ISP stops serving the service; the same withdrawal again (same id, ISP and reason) changes
 * nothing, the id with other facts is refused. Refused when the ISP gives no access: not among the
 * accesses, or, while they are unknown (registered before they were kept, which stay so), when its
 * withdrawal is its latest word. The event names the ISP as the accesses spell it.
 */
function decideWithdrawAccess(command: CommandOf<'WithdrawAccess'>, state: ServiceState): ServiceEvent[] {
  const service = registered(state);
  const done = service.withdrawals.find((withdrawal) => withdrawal.withdrawalId === command.withdrawalId);
  if (done) {
    if (sameIspName(done.ispName, command.ispName) && done.reason === command.reason) return [];
    throw new RegistryDomainError(
      'withdrawal_conflict',
      `withdrawal ${command.withdrawalId} was recorded with another ISP or reason`,
    );
  }
  assertNotCancelled(service);
  const ispName = heldAccessOf(service, command.ispName);
  const { withdrawalId, reason, withdrawnOn } = command;
  return [{ type: 'ServiceAccessWithdrawn', data: { withdrawalId, ispName, reason, withdrawnOn } }];
}

/** The ISP's name as the service's accesses spell it (the command's while they are unknown). */
function heldAccessOf(service: RegisteredServiceState, ispName: string): string {
  const held =
    service.accesses === undefined
      ? withdrawnOrAsNamed(service.withdrawnBy, ispName)
      : service.accesses.find((access) => sameIspName(access, ispName));
  if (held === undefined)
    throw new RegistryDomainError('no_such_access', 'the ISP gives the service no access');
  return held;
}

/** Accesses unknown: the ISP as named, unless its withdrawal is its latest word. */
function withdrawnOrAsNamed(withdrawnBy: readonly string[], ispName: string): string | undefined {
  return withdrawnBy.some((withdrawn) => sameIspName(withdrawn, ispName)) ? undefined : ispName;
}

/** ISP names compare as people write them: full-width characters folded, spaces around dropped. */
export function sameIspName(a: string, b: string): boolean {
  return a.normalize('NFKC').trim() === b.normalize('NFKC').trim();
}

/** Final: nothing may follow. A retried cancellation by the same filing changes nothing. */
function decideCancelService(command: CommandOf<'CancelService'>, state: ServiceState): ServiceEvent[] {
  const service = registered(state);
  if (service.status === 'cancelled' && service.cancellation.filingId === command.filingId) return [];
  assertNotCancelled(service);
  const { filingId, cancelledOn, scope } = command;
  return [{ type: 'ServiceCancelled', data: { filingId, cancelledOn, scope } }];
}

function registered(state: ServiceState): RegisteredServiceState {
  if (state.status !== 'unregistered') return state;
  throw new RegistryDomainError('service_not_registered', 'no service is registered under that number');
}

function assertNotCancelled(service: RegisteredServiceState): void {
  if (service.status === 'cancelled') {
    throw new RegistryDomainError(
      'service_cancelled',
      `${service.registered.serviceNumber} was cancelled on ${service.cancellation.cancelledOn}`,
    );
  }
}

function alreadyApplied(filingId: string, what: string): RegistryDomainError {
  return new RegistryDomainError('filing_already_applied', `filing ${filingId} already ${what}`);
}

/** The facts alone, in the order events carry them. */
export function factsOf(facts: ServiceFacts): ServiceFacts {
  const { name, identifiers, preApprovalCategories, operatorName, operatorNature } = facts;
  return { name, identifiers, preApprovalCategories, operatorName, operatorNature };
}

function sameFacts(a: ServiceFacts, b: ServiceFacts): boolean {
  return canonicalJson(factsOf(a)) === canonicalJson(factsOf(b));
}

/** Whether the service still counts for its subject: registered and not cancelled. */
export function isLiveService(state: ServiceState): boolean {
  return state.status === 'active' || state.status === 'access_withdrawn';
}

function illegal(message: string): RegistryDomainError {
  return new RegistryDomainError('illegal_transition', message);
}
