import { assertNever } from '../assert-never';
import type { RecordedEvent } from '../ports/event-log.port';
import { formatServiceNumber, type RegisteredServiceType } from '../registration-number';
import { RegistryDomainError } from './registry-errors';
import {
  CorruptRegistryStreamError,
  type ExistingServiceRecordedData,
  type ServiceNumberAllocatedData,
  type SubjectEvent,
  type SubjectRegisteredData,
  decodeSubjectEvent,
} from './registry-events';

/** A number in the subject's service sequence: issued to a filing, or recorded by an import. */
export type SubjectServiceEntry = Omit<ServiceNumberAllocatedData, 'filingId'> & {
  readonly filingId?: string;
};

/** One subject of one province: its subject number and the service numbers issued under it. */
export type SubjectState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly registration: SubjectRegisteredData;
      readonly services: readonly SubjectServiceEntry[];
    };

export const initialSubjectState: SubjectState = { status: 'unregistered' };

export type SubjectCommand =
  | { readonly type: 'RegisterSubject'; readonly registration: SubjectRegisteredData }
  | {
      readonly type: 'AllocateServiceNumber';
      readonly filingId: string;
      readonly serviceType: RegisteredServiceType;
    }
  | { readonly type: 'RecordExistingService'; readonly service: ExistingServiceRecordedData };

export function evolveSubject(state: SubjectState, event: SubjectEvent): SubjectState {
  switch (event.type) {
    case 'SubjectRegistered':
      if (state.status === 'registered') throw illegal('the subject is registered twice');
      return { status: 'registered', registration: event.data, services: [] };
    case 'ServiceNumberAllocated':
    case 'ExistingServiceRecorded': {
      if (state.status !== 'registered') throw illegal('a service number before the subject number');
      if (serviceNumbered(state, event.data.n)) throw illegal(`n = ${event.data.n} is taken twice`);
      const { serviceType, n, number } = event.data;
      const entry =
        event.type === 'ServiceNumberAllocated'
          ? { serviceType, n, number, filingId: event.data.filingId }
          : { serviceType, n, number };
      return { ...state, services: [...state.services, entry] };
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
    default:
      return assertNever(command, 'subject command');
  }
}

/** Registering the subject it already is changes nothing; another number for it is refused. */
function decideRegisterSubject(
  command: Extract<SubjectCommand, { type: 'RegisterSubject' }>,
  state: SubjectState,
): SubjectEvent[] {
  if (state.status === 'unregistered') return [{ type: 'SubjectRegistered', data: command.registration }];
  if (state.registration.subjectNumber === command.registration.subjectNumber) return [];
  throw new RegistryDomainError(
    'subject_already_registered',
    `the subject already holds ${state.registration.subjectNumber}`,
  );
}

/** The subject's next n, whatever the service type; a filing that holds one already keeps it. */
function decideAllocateServiceNumber(
  command: Extract<SubjectCommand, { type: 'AllocateServiceNumber' }>,
  state: SubjectState,
): SubjectEvent[] {
  const subject = registered(state);
  const issued = serviceOfFiling(subject, command.filingId);
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
  command: Extract<SubjectCommand, { type: 'RecordExistingService' }>,
  state: SubjectState,
): SubjectEvent[] {
  const subject = registered(state);
  const taken = serviceNumbered(subject, command.service.n);
  if (taken?.number === command.service.number && taken.filingId === undefined) return [];
  if (taken) {
    throw new RegistryDomainError('service_number_taken', `n = ${command.service.n} is ${taken.number}`);
  }
  return [{ type: 'ExistingServiceRecorded', data: command.service }];
}

function registered(state: SubjectState): Extract<SubjectState, { status: 'registered' }> {
  if (state.status === 'registered') return state;
  throw new RegistryDomainError('subject_not_registered', 'the subject holds no subject number yet');
}

function serviceNumbered(
  state: Extract<SubjectState, { status: 'registered' }>,
  n: number,
): SubjectServiceEntry | undefined {
  return state.services.find((service) => service.n === n);
}

export function serviceOfFiling(
  state: Extract<SubjectState, { status: 'registered' }>,
  filingId: string,
): SubjectServiceEntry | undefined {
  return state.services.find((service) => service.filingId === filingId);
}

/**
 * The n the subject's next service gets: all of a subject's services share one sequence, whatever
 * their type (`-1`, `-2A`, `-3X`). Numbers counted per type before are kept; the next one follows
 * the highest.
 */
export function nextServiceN(state: Extract<SubjectState, { status: 'registered' }>): number {
  return state.services.reduce((highest, service) => Math.max(highest, service.n), 0) + 1;
}

function illegal(message: string): RegistryDomainError {
  return new RegistryDomainError('illegal_transition', message);
}
