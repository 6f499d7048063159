import { assertNever } from '../assert-never';
import { canonicalJson } from '../canonical-json';
import type { RecordedEvent } from '../ports/event-log.port';
import { RegistryDomainError } from './registry-errors';
import {
  CorruptRegistryStreamError,
  type ServiceEvent,
  type ServiceRegisteredData,
  decodeServiceEvent,
} from './registry-events';

/** One service number's life: for now, what the service is once registered. */
export type ServiceState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly service: ServiceRegisteredData };

export const initialServiceState: ServiceState = { status: 'unregistered' };

export type ServiceCommand = { readonly type: 'RegisterService'; readonly service: ServiceRegisteredData };

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'ServiceRegistered':
      if (state.status === 'registered') {
        throw new RegistryDomainError('illegal_transition', 'the service is registered twice');
      }
      return { status: 'registered', service: event.data };
    default:
      return assertNever(event.type, 'service event');
  }
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
    default:
      return assertNever(command.type, 'service command');
  }
}

/** Registering the same facts again (a retried issuance) changes nothing; other facts are refused. */
function decideRegisterService(command: ServiceCommand, state: ServiceState): ServiceEvent[] {
  if (state.status === 'unregistered') return [{ type: 'ServiceRegistered', data: command.service }];
  if (canonicalJson(state.service) === canonicalJson(command.service)) return [];
  throw new RegistryDomainError(
    'service_already_registered',
    `${state.service.serviceNumber} is already registered with other facts`,
  );
}
