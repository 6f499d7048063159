import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { ReadModelProjections } from '../../../events/ports/read-models.port';
import { BatchRows } from './batch-rows';
import { type TableSet, tableOf } from './read-model.tables';
import {
  identifierRecordsOf,
  type RegistryFilingRecord,
  type RegistryIdentifierRecord,
  type RegistryServiceRecord,
  type RegistrySubjectRecord,
  toRegistryFilingRecord,
  toRegistryFilingRow,
  toRegistryServiceRecord,
  toRegistryServiceRow,
  toRegistrySubjectRecord,
  toRegistrySubjectRow,
} from './registry.records';
import type { Applier } from './row-appliers';

function upsert<R extends object>(
  db: Database.Database,
  table: string,
  columns: readonly (keyof R & string)[],
) {
  return db.prepare<[R]>(
    `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
}

/** The registry's subjects, services (with their identifier rows) and filing facts, a batch at a time. */
export function registryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['registry'],
): Applier {
  const filings = rowsOf<RegistryFilingRecord, ReturnType<typeof toRegistryFilingRow>>(
    db,
    tableOf(set, 'registry_filings'),
    'filing_id',
    toRegistryFilingRow,
    (write) => (row) => write.run(toRegistryFilingRecord(row)),
  );
  const subjects = rowsOf<RegistrySubjectRecord, ReturnType<typeof toRegistrySubjectRow>>(
    db,
    tableOf(set, 'registry_subjects'),
    'subject_number',
    toRegistrySubjectRow,
    (write) => (row) => write.run(toRegistrySubjectRecord(row)),
  );
  const identifiers = tableOf(set, 'registry_service_identifiers');
  const forget = db.prepare<[string]>(`DELETE FROM ${identifiers} WHERE service_number = ?`);
  const identify = db.prepare<[RegistryIdentifierRecord]>(
    `INSERT INTO ${identifiers} (kind, value, service_number) VALUES (@kind, @value, @service_number)`,
  );
  const services = rowsOf<RegistryServiceRecord, ReturnType<typeof toRegistryServiceRow>>(
    db,
    tableOf(set, 'registry_services'),
    'service_number',
    toRegistryServiceRow,
    (write) => (row) => {
      write.run(toRegistryServiceRecord(row));
      forget.run(row.serviceNumber);
      for (const record of identifierRecordsOf(row)) identify.run(record);
    },
  );
  const all = [filings, subjects, services];
  const reader = {
    filing: (filingId: string) => filings.get(filingId),
    subject: (subjectNumber: string) => subjects.get(subjectNumber),
    service: (serviceNumber: string) => services.get(serviceNumber),
  };
  return {
    apply: (event: RecordedEvent) => {
      const update = project(reader, event);
      if (update?.filing) filings.set(update.filing.filingId, update.filing);
      if (update?.subject) subjects.set(update.subject.subjectNumber, update.subject);
      if (update?.service) services.set(update.service.serviceNumber, update.service);
    },
    flush: () => all.forEach((rows) => rows.flush()),
    discard: () => all.forEach((rows) => rows.discard()),
  };
}

/** One table's rows by key within a batch, written (by `store`, given the table's upsert) at flush. */
function rowsOf<R extends object, Row>(
  db: Database.Database,
  table: string,
  key: keyof R & string,
  toRow: (record: R) => Row,
  store: (write: Database.Statement<[R]>) => (row: Row) => void,
): BatchRows<Row> {
  const select = db.prepare<[string], R>(`SELECT * FROM ${table} WHERE ${key} = ?`);
  const columns = db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((column) => column.name as keyof R & string);
  const write = store(upsert<R>(db, table, columns));
  return new BatchRows((id) => {
    const record = select.get(id);
    return record && toRow(record);
  }, write);
}
