import type { RecordedEvent } from '../ports/event-log.port';
import { assertNever } from '../assert-never';
import {
  CorruptRegistryStreamError,
  type ServiceNumberAllocatedData,
  type SubjectRegisteredData,
  decodeSubjectEvent,
} from './registry-events';

/** A number in the subject's service sequence: issued to a filing, or recorded by an import. */
export type SubjectServiceEntry = Omit<ServiceNumberAllocatedData, 'filingId'> & {
  readonly filingId?: string;
};

/** One subject's stream folded: its subject number and the service numbers issued under it. */
export interface SubjectRecord {
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  readonly revision: number;
  readonly registration: SubjectRegisteredData | undefined;
  readonly services: readonly SubjectServiceEntry[];
}

export function foldSubjectRecord(events: readonly RecordedEvent[]): SubjectRecord {
  let registration: SubjectRegisteredData | undefined;
  const services: SubjectServiceEntry[] = [];
  let revision = -1;
  for (const recorded of events) {
    const event = decodeSubjectEvent(recorded);
    switch (event.type) {
      case 'SubjectRegistered':
        if (registration) throw new CorruptRegistryStreamError(recorded, 'the subject is registered twice');
        registration = event.data;
        break;
      case 'ServiceNumberAllocated':
        if (!registration)
          throw new CorruptRegistryStreamError(recorded, 'a service number before the subject number');
        services.push(event.data);
        break;
      case 'ExistingServiceRecorded':
        if (!registration)
          throw new CorruptRegistryStreamError(recorded, 'a service number before the subject number');
        services.push({ serviceType: event.data.serviceType, n: event.data.n, number: event.data.number });
        break;
      default:
        assertNever(event, 'subject event');
    }
    revision = recorded.revision;
  }
  return { revision, registration, services };
}

export function serviceOfFiling(record: SubjectRecord, filingId: string): SubjectServiceEntry | undefined {
  return record.services.find((service) => service.filingId === filingId);
}

/**
 * The n the subject's next service gets: all of a subject's services share one sequence, whatever
 * their type (`-1`, `-2A`, `-3X`). Numbers counted per type before are kept; the next one follows
 * the highest.
 */
export function nextServiceN(record: SubjectRecord): number {
  return record.services.reduce((highest, service) => Math.max(highest, service.n), 0) + 1;
}
