import { assertNever } from '../assert-never';
import type { RecordedEvent } from '../ports/event-log.port';
import { formatServiceNumber, type RegisteredServiceType } from '../registration-number';
import { RegistryDomainError } from './registry-errors';
import {
  CorruptRegistryStreamError,
  type ExistingServiceRecordedData,
  type ServiceNumberAllocatedData,
  type SubjectCancelledData,
  type SubjectChangedData,
  type SubjectEvent,
  type SubjectLeftWithoutServicesData,
  type SubjectRegisteredData,
  decodeSubjectEvent,
} from './registry-events';

/** A number in the subject's service sequence: issued to a filing, or recorded by an import. */
export type SubjectServiceEntry = Omit<ServiceNumberAllocatedData, 'filingId'> & {
  readonly filingId?: string;
};

/** What a registered subject is, whatever its status. */
export interface SubjectRecord {
  readonly registration: SubjectRegisteredData;
  readonly services: readonly SubjectServiceEntry[];
  /** Each change applied, oldest first: the last one names the operator as it now stands. */
  readonly changes: readonly SubjectChangedData[];
  /** Each time a cancellation left it without a live service (a shell subject). */
  readonly shellFlags: readonly SubjectLeftWithoutServicesData[];
}

/**
 * One subject of one province: its subject number and the service numbers issued under it;
 * `cancelled` is final (nothing may follow). Which single services are cancelled is in their own
 * streams (ServiceCancelled); after SubjectCancelled all of them are.
 */
export type SubjectState =
  | { readonly status: 'unregistered' }
  | (SubjectRecord & { readonly status: 'registered' })
  | (SubjectRecord & { readonly status: 'cancelled'; readonly cancellation: SubjectCancelledData });

export type RegisteredSubjectState = Exclude<SubjectState, { status: 'unregistered' }>;

export const initialSubjectState: SubjectState = { status: 'unregistered' };

export type SubjectCommand =
  | { readonly type: 'RegisterSubject'; readonly registration: SubjectRegisteredData }
  | {
      readonly type: 'AllocateServiceNumber';
      readonly filingId: string;
      readonly serviceType: RegisteredServiceType;
    }
  | { readonly type: 'RecordExistingService'; readonly service: ExistingServiceRecordedData }
  | {
      readonly type: 'ChangeSubject';
      readonly filingId: string;
      readonly operatorName: string;
      readonly operatorNature: NonNullable<SubjectRegisteredData['operatorNature']>;
      readonly changedOn: string;
    }
  /** The whole subject with every service not cancelled yet (`serviceNumbers`), in one transition. */
  | {
      readonly type: 'CancelSubject';
      readonly filingId: string;
      readonly cancelledOn: string;
      readonly serviceNumbers: readonly string[];
    }
  /**
   * After `filingId` cancelled `lastServiceNumber`: flags the subject when `liveServiceNumbers` (its
   * services neither cancelled nor unregistered, read from their streams) is empty.
   */
  | {
      readonly type: 'FlagShellSubject';
      readonly filingId: string;
      readonly lastServiceNumber: string;
      readonly flaggedOn: string;
      readonly liveServiceNumbers: readonly string[];
    };

type CommandOf<T extends SubjectCommand['type']> = Extract<SubjectCommand, { type: T }>;

export function evolveSubject(state: SubjectState, event: SubjectEvent): SubjectState {
  switch (event.type) {
    case 'SubjectRegistered':
      if (state.status !== 'unregistered') throw illegal('the subject is registered twice');
      return { status: 'registered', registration: event.data, services: [], changes: [], shellFlags: [] };
    case 'ServiceNumberAllocated':
    case 'ExistingServiceRecorded': {
      if (state.status === 'unregistered') throw illegal('a service number before the subject number');
      if (state.status === 'cancelled') throw illegal(`${event.type} after SubjectCancelled`);
      if (serviceNumbered(state, event.data.n)) throw illegal(`n = ${event.data.n} is taken twice`);
      const { serviceType, n, number } = event.data;
      const entry =
        event.type === 'ServiceNumberAllocated'
          ? { serviceType, n, number, filingId: event.data.filingId }
          : { serviceType, n, number };
      return { ...state, services: [...state.services, entry] };
    }
    case 'SubjectChanged': {
      const subject = liveSubject(state, event.type);
      return { ...subject, changes: [...subject.changes, event.data] };
    }
    case 'SubjectCancelled': {
      const subject = liveSubject(state, event.type);
      const unknown = event.data.serviceNumbers.find((number) => !serviceNamed(subject, number));
      if (unknown !== undefined) throw illegal(`${unknown} is not a service of the subject`);
      return { ...subject, status: 'cancelled', cancellation: event.data };
    }
    case 'SubjectLeftWithoutServices': {
      const subject = liveSubject(state, event.type);
      if (!serviceNamed(subject, event.data.lastServiceNumber)) {
        throw illegal(`${event.data.lastServiceNumber} is not a service of the subject`);
      }
      return { ...subject, shellFlags: [...subject.shellFlags, event.data] };
    }
    default:
      return assertNever(event, 'subject event');
  }
}

/** The subject stream as stored, folded; an event its state does not allow is a corrupt stream. */
export function foldSubject(events: readonly RecordedEvent[]): SubjectState {
  return events.reduce((state, recorded) => {
    try {
      return evolveSubject(state, decodeSubjectEvent(recorded));
    } catch (error) {
      if (error instanceof RegistryDomainError) throw new CorruptRegistryStreamError(recorded, error.message);
      throw error;
    }
  }, initialSubjectState);
}

export function decideSubject(command: SubjectCommand, state: SubjectState): SubjectEvent[] {
  switch (command.type) {
    case 'RegisterSubject':
      return decideRegisterSubject(command, state);
    case 'AllocateServiceNumber':
      return decideAllocateServiceNumber(command, state);
    case 'RecordExistingService':
      return decideRecordExistingService(command, state);
    case 'ChangeSubject':
      return decideChangeSubject(command, state);
    case 'CancelSubject':
      return decideCancelSubject(command, state);
    case 'FlagShellSubject':
      return decideFlagShellSubject(command, state);
    default:
      return assertNever(command, 'subject command');
  }
}

/** Registering the subject it already is changes nothing; another number for it is refused. */
function decideRegisterSubject(command: CommandOf<'RegisterSubject'>, state: SubjectState): SubjectEvent[] {
  if (state.status === 'unregistered') return [{ type: 'SubjectRegistered', data: command.registration }];
  if (state.registration.subjectNumber === command.registration.subjectNumber) return [];
  throw new RegistryDomainError(
    'subject_already_registered',
    `the subject already holds ${state.registration.subjectNumber}`,
  );
}

/** The subject's next n, whatever the service type; a filing that holds one already keeps it. */
function decideAllocateServiceNumber(
  command: CommandOf<'AllocateServiceNumber'>,
  state: SubjectState,
): SubjectEvent[] {
  const subject = registered(state);
  const issued = serviceOfFiling(subject, command.filingId);
  if (!issued) assertNotCancelled(subject);
  if (issued?.serviceType === command.serviceType) return [];
  if (issued) {
    throw new RegistryDomainError(
      'service_type_mismatch',
      `filing ${command.filingId} already holds ${issued.number}, a ${issued.serviceType} number`,
    );
  }
  const n = nextServiceN(subject);
  const number = formatServiceNumber(subject.registration.subjectNumber, n, command.serviceType);
  return [
    {
      type: 'ServiceNumberAllocated',
      data: { filingId: command.filingId, serviceType: command.serviceType, n, number },
    },
  ];
}

/** An imported service keeps its n; recording the same one again changes nothing. */
function decideRecordExistingService(
  command: CommandOf<'RecordExistingService'>,
  state: SubjectState,
): SubjectEvent[] {
  const subject = registered(state);
  const taken = serviceNumbered(subject, command.service.n);
  if (taken?.number === command.service.number && taken.filingId === undefined) return [];
  assertNotCancelled(subject);
  if (taken) {
    throw new RegistryDomainError('service_number_taken', `n = ${command.service.n} is ${taken.number}`);
  }
  return [{ type: 'ExistingServiceRecorded', data: command.service }];
}

/** The operator as it now stands (the last change, else the registration); undefined if never kept. */
export function operatorOfSubject(
  subject: RegisteredSubjectState,
): { name: string; nature: NonNullable<SubjectRegisteredData['operatorNature']> } | undefined {
  const last = subject.changes[subject.changes.length - 1];
  if (last) return { name: last.operatorName, nature: last.operatorNature };
  const { operatorName, operatorNature } = subject.registration;
  return operatorName !== undefined && operatorNature !== undefined
    ? { name: operatorName, nature: operatorNature }
    : undefined;
}

/** The operator's new name or nature; a retried filing changes nothing. */
function decideChangeSubject(command: CommandOf<'ChangeSubject'>, state: SubjectState): SubjectEvent[] {
  const subject = registered(state);
  const { filingId, operatorName, operatorNature, changedOn } = command;
  const applied = subject.changes.find((change) => change.filingId === filingId);
  if (applied) {
    if (applied.operatorName === operatorName && applied.operatorNature === operatorNature) return [];
    throw new RegistryDomainError(
      'filing_already_applied',
      `filing ${filingId} changed the subject otherwise`,
    );
  }
  assertNotCancelled(subject);
  return [{ type: 'SubjectChanged', data: { filingId, operatorName, operatorNature, changedOn } }];
}

/** Final: the subject and the services named, which must be its own. A retried filing changes nothing. */
function decideCancelSubject(command: CommandOf<'CancelSubject'>, state: SubjectState): SubjectEvent[] {
  const subject = registered(state);
  if (subject.status === 'cancelled' && subject.cancellation.filingId === command.filingId) return [];
  assertNotCancelled(subject);
  const foreign = command.serviceNumbers.find((number) => !serviceNamed(subject, number));
  if (foreign !== undefined) {
    throw new RegistryDomainError('service_not_of_subject', `${foreign} is not a service of the subject`);
  }
  const { filingId, cancelledOn } = command;
  return [
    {
      type: 'SubjectCancelled',
      data: { filingId, cancelledOn, serviceNumbers: [...command.serviceNumbers] },
    },
  ];
}

/** The shell-subject flag, once per cancelling filing, only when no live service remains. */
function decideFlagShellSubject(command: CommandOf<'FlagShellSubject'>, state: SubjectState): SubjectEvent[] {
  const subject = registered(state);
  if (subject.status === 'cancelled' || command.liveServiceNumbers.length > 0) return [];
  if (subject.shellFlags.some((flag) => flag.filingId === command.filingId)) return [];
  if (!serviceNamed(subject, command.lastServiceNumber)) {
    throw new RegistryDomainError(
      'service_not_of_subject',
      `${command.lastServiceNumber} is not a service of the subject`,
    );
  }
  const { filingId, lastServiceNumber, flaggedOn } = command;
  return [{ type: 'SubjectLeftWithoutServices', data: { filingId, lastServiceNumber, flaggedOn } }];
}

function registered(state: SubjectState): RegisteredSubjectState {
  if (state.status !== 'unregistered') return state;
  throw new RegistryDomainError('subject_not_registered', 'the subject holds no subject number yet');
}

function assertNotCancelled(subject: RegisteredSubjectState): void {
  if (subject.status === 'cancelled') {
    throw new RegistryDomainError(
      'subject_cancelled',
      `${subject.registration.subjectNumber} was cancelled on ${subject.cancellation.cancelledOn}`,
    );
  }
}

function liveSubject(state: SubjectState, type: string) {
  if (state.status === 'unregistered') throw illegal(`${type} before SubjectRegistered`);
  if (state.status === 'cancelled') throw illegal(`${type} after SubjectCancelled`);
  return state;
}

function serviceNamed(subject: RegisteredSubjectState, number: string): SubjectServiceEntry | undefined {
  return subject.services.find((service) => service.number === number);
}

function serviceNumbered(state: RegisteredSubjectState, n: number): SubjectServiceEntry | undefined {
  return state.services.find((service) => service.n === n);
}

export function serviceOfFiling(
  state: RegisteredSubjectState,
  filingId: string,
): SubjectServiceEntry | undefined {
  return state.services.find((service) => service.filingId === filingId);
}

/**
 * The n the subject's next service gets: all of a subject's services share one sequence, whatever
 * their type (`-1`, `-2A`, `-3X`). Numbers counted per type before are kept; the next one follows
 * the highest.
 */
export function nextServiceN(state: RegisteredSubjectState): number {
  return state.services.reduce((highest, service) => Math.max(highest, service.n), 0) + 1;
}

function illegal(message: string): RegistryDomainError {
  return new RegistryDomainError('illegal_transition', message);
}
