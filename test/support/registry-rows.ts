import type {
  PublicRegistryFilingRow,
  PublicRegistryRow,
  RegistryFilingRow,
  RegistryServiceRow,
  RegistryServiceVersionRow,
  RegistrySubjectRow,
} from '../../events/ports/read-models.port';
import { projectPublicRegistry } from '../../services/projections/public-registry.projection';
import type { ProjectableEvent } from '../../services/projections/projectable-event';
import { projectRegistry } from '../../services/projections/registry.projection';

/** The rows of the registry projections after `events`, applied one by one as a store applies them. */

export function registryAfter(events: readonly ProjectableEvent[]) {
  const filings = new Map<string, RegistryFilingRow>();
  const subjects = new Map<string, RegistrySubjectRow>();
  const services = new Map<string, RegistryServiceRow>();
  const versions = new Map<string, RegistryServiceVersionRow>();
  const reader = {
    filing: (id: string) => filings.get(id),
    subject: (number: string) => subjects.get(number),
    service: (number: string) => services.get(number),
    subjectOfStream: (streamId: string) => [...subjects.values()].find((row) => row.streamId === streamId),
    servicesOf: (number: string) => [...services.values()].filter((row) => row.subjectNumber === number),
  };
  for (const event of events) {
    const update = projectRegistry(reader, event);
    if (update?.filing) filings.set(update.filing.filingId, update.filing);
    if (update?.subject) subjects.set(update.subject.subjectNumber, update.subject);
    if (update?.service) services.set(update.service.serviceNumber, update.service);
    for (const service of update?.services ?? []) services.set(service.serviceNumber, service);
    if (update?.version) {
      versions.set(`${update.version.serviceNumber}#${update.version.version}`, update.version);
    }
  }
  return {
    filings: [...filings.values()],
    subjects: [...subjects.values()],
    services: [...services.values()],
    versions: [...versions.values()],
  };
}

export function publicRegistryAfter(events: readonly ProjectableEvent[]) {
  const filings = new Map<string, PublicRegistryFilingRow>();
  const registrations = new Map<string, PublicRegistryRow>();
  const reader = {
    filing: (id: string) => filings.get(id),
    registration: (number: string) => registrations.get(number),
    registrationsOf: (subjectNumber: string) =>
      [...registrations.values()].filter((row) => row.registrationNumber.startsWith(`${subjectNumber}-`)),
  };
  for (const event of events) {
    const update = projectPublicRegistry(reader, event);
    if (update?.filing) filings.set(update.filing.filingId, update.filing);
    for (const row of update?.registrations ?? []) registrations.set(row.registrationNumber, row);
  }
  return { filings: [...filings.values()], registrations: [...registrations.values()] };
}
