import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { ReadModelProjections } from '../../../events/ports/read-models.port';
import { BatchRows, RecordTable } from './batch-rows';
import { type TableSet, tableOf } from '../read-model-tables';
import {
  identifierRecordsOf,
  type RegistryFilingRecord,
  type RegistryIdentifierRecord,
  type RegistryServiceRecord,
  type RegistryServiceVersionRecord,
  type RegistrySubjectRecord,
  toRegistryFilingRecord,
  toRegistryFilingRow,
  toRegistryServiceRecord,
  toRegistryServiceRow,
  toRegistryServiceVersionRecord,
  toRegistrySubjectRecord,
  toRegistrySubjectRow,
} from '../registry.records';
import type { Applier } from './row-appliers';

/**
 * The registry's subjects, services (with their identifier rows and versions) and filing facts, a
 * batch at a time. Versions are written once each, so at once.
 */
export function registryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['registry'],
): Applier {
  const filings = new BatchRows(
    new RecordTable<RegistryFilingRecord>(db, tableOf(set, 'registry_filings'), ['filing_id']),
    toRegistryFilingRow,
    toRegistryFilingRecord,
  );
  const subjects = new BatchRows(
    new RecordTable<RegistrySubjectRecord>(db, tableOf(set, 'registry_subjects'), ['subject_number']),
    toRegistrySubjectRow,
    toRegistrySubjectRecord,
  );
  const identifiers = tableOf(set, 'registry_service_identifiers');
  const forget = db.prepare<[string]>(`DELETE FROM ${identifiers} WHERE service_number = ?`);
  const identify = db.prepare<[RegistryIdentifierRecord]>(
    `INSERT INTO ${identifiers} (kind, value, service_number) VALUES (@kind, @value, @service_number)`,
  );
  const services = new BatchRows(
    new RecordTable<RegistryServiceRecord>(db, tableOf(set, 'registry_services'), ['service_number']),
    toRegistryServiceRow,
    toRegistryServiceRecord,
    (row, before, after) => {
      if (before?.identifiers === after.identifiers) return;
      forget.run(row.serviceNumber);
      for (const record of identifierRecordsOf(row)) identify.run(record);
    },
  );
  const versions = new RecordTable<RegistryServiceVersionRecord>(
    db,
    tableOf(set, 'registry_service_versions'),
    ['service_number', 'version'],
  );
  const subjectsTable = tableOf(set, 'registry_subjects');
  const subjectNumberOfStream = db.prepare<[string], { subject_number: string }>(
    `SELECT subject_number FROM ${subjectsTable} WHERE stream_id = ?`,
  );
  const serviceNumbersOf = db.prepare<[string], { service_number: string }>(
    `SELECT service_number FROM ${tableOf(set, 'registry_services')} WHERE subject_number = ?`,
  );
  const all = [filings, subjects, services];
  const reader = {
    filing: (filingId: string) => filings.get(filingId),
    subject: (subjectNumber: string) => subjects.get(subjectNumber),
    service: (serviceNumber: string) => services.get(serviceNumber),
    subjectOfStream: (streamId: string) => {
      const cached = subjects.cached().find((row) => row.streamId === streamId);
      if (cached !== undefined) return cached;
      const stored = subjectNumberOfStream.get(streamId);
      return stored && subjects.get(stored.subject_number);
    },
    servicesOf: (subjectNumber: string) => {
      const numbers = new Set(serviceNumbersOf.all(subjectNumber).map((row) => row.service_number));
      for (const row of services.cached())
        if (row.subjectNumber === subjectNumber) numbers.add(row.serviceNumber);
      return [...numbers].flatMap((number) => services.get(number) ?? []);
    },
  };
  return {
    apply: (event: RecordedEvent) => {
      const update = project(reader, event);
      if (update?.filing) filings.set(update.filing.filingId, update.filing);
      if (update?.subject) subjects.set(update.subject.subjectNumber, update.subject);
      if (update?.service) services.set(update.service.serviceNumber, update.service);
      for (const service of update?.services ?? []) services.set(service.serviceNumber, service);
      if (update?.version) versions.write(undefined, toRegistryServiceVersionRecord(update.version));
    },
    flush: () => all.forEach((rows) => rows.flush()),
    discard: () => all.forEach((rows) => rows.discard()),
  };
}
