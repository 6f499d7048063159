import type { FilingState } from '../../events/filing/filing-state';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RegistrationForm } from '../../events/form/registration-form';
import type { EventLog, Json, RecordedEvent } from '../../events/ports/event-log.port';
import { foldStoredFiling } from '../../events/registry/identifier-claims';
import { decodeServiceEvent, type ServiceRegisteredData } from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';

/**
 * What a change, cancellation or new access starts from: the service as the registry holds it, and
 * the form of the filing that made its current version. Read from the event log only (strongly
 * consistent), never from a read model.
 */

export type ServiceStanding = 'active' | 'access_withdrawn' | 'cancelled';

/** A service stream, folded for a submission: its number, status, current version and accesses. */
export interface ServiceOnRecord {
  readonly registered: ServiceRegisteredData;
  readonly status: ServiceStanding;
  /** The filing that made the current version: the last change's, else the registration's; absent when imported. */
  readonly versionFilingId?: string;
  /** The ISPs known to serve it now (added or registered with it, not withdrawn). */
  readonly ispNames: readonly string[];
  /** The registration predates the registry keeping accesses: who served it then is not on record. */
  readonly accessesUnknown: boolean;
}

/** The registered version a filing of another kind starts from. */
export interface RegisteredVersion {
  readonly service: ServiceOnRecord;
  /** The filing that made it, with the platform that filed it; absent: an imported service without one. */
  readonly filing?: {
    readonly filingId: string;
    readonly platformId: string;
    readonly form: RegistrationForm;
  };
}

type Data = { readonly [key: string]: Json };

const dataOf = (event: RecordedEvent): Data =>
  typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data)
    ? (event.data as Data)
    : {};

const textOf = (data: Data, key: string): string | undefined => {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function ispNamesOf(value: Json | undefined): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((access) =>
    typeof access === 'object' &&
    access !== null &&
    !Array.isArray(access) &&
    typeof access['ispName'] === 'string'
      ? [access['ispName']]
      : [],
  );
}

/**
 * One step of the service's life after its registration: a change moves the version on, an access
 * added or withdrawn changes who serves it, a cancellation ends it. Read by type and the fields a
 * submission needs (the registry's own fold decodes the rest).
 */
function lived(service: ServiceOnRecord, event: RecordedEvent): ServiceOnRecord {
  const data = dataOf(event);
  const isp = textOf(data, 'ispName');
  switch (event.type) {
    case 'ServiceChanged': {
      const filingId = textOf(data, 'filingId');
      return filingId ? { ...service, versionFilingId: filingId } : service;
    }
    case 'ServiceAccessAdded': {
      if (service.status === 'cancelled' || !isp) return service;
      const ispNames = [...service.ispNames.filter((name) => name !== isp), isp];
      return { ...service, ispNames, status: 'active' };
    }
    case 'ServiceAccessWithdrawn': {
      if (service.status === 'cancelled' || !isp) return service;
      const ispNames = service.ispNames.filter((name) => name !== isp);
      // An unknown access withdrawn is the one the registration had: none is left unknown.
      const accessesUnknown = false;
      return {
        ...service,
        ispNames,
        accessesUnknown,
        status: ispNames.length > 0 ? 'active' : 'access_withdrawn',
      };
    }
    case 'ServiceCancelled':
      return { ...service, status: 'cancelled' };
    default:
      return service;
  }
}

/** The service stream as stored, or undefined when the registry holds no such service. */
export function serviceOnRecord(events: readonly RecordedEvent[]): ServiceOnRecord | undefined {
  const [first, ...rest] = events;
  if (!first) return undefined;
  const { data: registered } = decodeServiceEvent(first);
  const ispNames = ispNamesOf(dataOf(first)['accesses']);
  const start: ServiceOnRecord = {
    registered,
    status: ispNames === undefined || ispNames.length > 0 ? 'active' : 'access_withdrawn',
    ...(registered.filingId && { versionFilingId: registered.filingId }),
    ispNames: ispNames ?? [],
    accessesUnknown: ispNames === undefined,
  };
  return rest.reduce(lived, start);
}

/** The form a filing holds once registered (its last correction), or undefined if it never got that far. */
function registeredFormOf(state: FilingState): { platformId: string; form: RegistrationForm } | undefined {
  switch (state.status) {
    case 'registered':
    case 'published':
    case 'completed':
      return { platformId: state.platformId, form: state.form };
    default:
      return undefined;
  }
}

/** The service a number names and the version it is at; undefined when the registry holds no such number. */
export async function readRegisteredVersion(
  eventLog: EventLog,
  serviceNumber: string,
): Promise<RegisteredVersion | undefined> {
  const service = serviceOnRecord(await eventLog.readStream(serviceStreamId(serviceNumber)));
  if (!service) return undefined;
  const filingId = service.versionFilingId;
  if (!filingId) return { service };
  const made = registeredFormOf(foldStoredFiling(await eventLog.readStream(filingStreamId(filingId))));
  return made ? { service, filing: { filingId, ...made } } : { service };
}
