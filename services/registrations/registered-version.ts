import type { FilingState } from '../../events/filing/filing-state';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RegistrationForm } from '../../events/form/registration-form';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { foldStoredFiling } from '../../events/registry/identifier-claims';
import type { ServiceRegisteredData } from '../../events/registry/registry-events';
import { foldService } from '../../events/registry/service';
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

/** The service stream as stored, or undefined when the registry holds no such service. */
export function serviceOnRecord(events: readonly RecordedEvent[]): ServiceOnRecord | undefined {
  const state = foldService(events);
  if (state.status === 'unregistered') return undefined;
  return {
    registered: state.registered,
    status: state.status,
    ...(state.current.filingId !== undefined && { versionFilingId: state.current.filingId }),
    ispNames: state.accesses ?? [],
    accessesUnknown: state.accesses === undefined,
  };
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
  const streamId = serviceStreamIdOf(serviceNumber);
  if (streamId === undefined) return undefined;
  const service = serviceOnRecord(await eventLog.readStream(streamId));
  if (!service) return undefined;
  const filingId = service.versionFilingId;
  if (!filingId) return { service };
  const made = registeredFormOf(foldStoredFiling(await eventLog.readStream(filingStreamId(filingId))));
  return made ? { service, filing: { filingId, ...made } } : { service };
}

/** The stream a number names; undefined for a number of the published shape no registry stream can hold. */
function serviceStreamIdOf(serviceNumber: string): string | undefined {
  try {
    return serviceStreamId(serviceNumber);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
