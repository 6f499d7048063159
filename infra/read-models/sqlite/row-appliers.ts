import type Database from 'better-sqlite3';
import { assertNever } from '../../../events/assert-never';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { PublicRegistryRowReader, ReadModelProjections } from '../../../events/ports/read-models.port';
import { BatchRows, RecordTable } from './batch-rows';
import { followedFilingId } from '../followed-filing';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryFilingRecord,
  type PublicRegistryRecord,
  type SlaFilingRecord,
  type SlaStageVisitRecord,
  toBureauQueueRecord,
  toBureauQueueRow,
  toFilingSummaryRecord,
  toFilingSummaryRow,
  toPublicRegistryFilingRecord,
  toPublicRegistryFilingRow,
  toPublicRegistryRecord,
  toPublicRegistryRow,
  toSlaFilingRecord,
  toSlaFilingRow,
  toSlaStageVisitRecord,
} from '../read-model.records';
import { type TableSet, tableOf } from '../read-model-tables';
import { registryApplier } from './registry-applier';

/** Applies events to one projection's tables, a batch (one transaction) at a time (see BatchRows). */
export interface Applier {
  apply(event: RecordedEvent): void;
  /** Writes the batch's changed rows. */
  flush(): void;
  /** Forgets the batch's rows unwritten (its transaction is rolled back). */
  discard(): void;
}

/** A projection keeping one row per filing, given the filing's current row. */
function perFilingApplier<Row, R extends object>(
  rows: BatchRows<Row, R>,
  project: (current: Row | undefined, event: RecordedEvent) => Row | undefined,
): Applier {
  return {
    apply: (event) => {
      const filingId = followedFilingId(event);
      if (filingId === undefined) return;
      const next = project(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function filingSummaryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['filingSummary'],
): Applier {
  const records = new RecordTable<FilingSummaryRecord>(db, tableOf(set, 'filing_summary'), ['filing_id']);
  return perFilingApplier(new BatchRows(records, toFilingSummaryRow, toFilingSummaryRecord), project);
}

function bureauQueueApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['bureauQueue'],
): Applier {
  const records = new RecordTable<BureauQueueRecord>(db, tableOf(set, 'bureau_queue'), ['filing_id']);
  return perFilingApplier(new BatchRows(records, toBureauQueueRow, toBureauQueueRecord), project);
}

function publicRegistryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['publicRegistry'],
): Applier {
  const table = tableOf(set, 'public_registry');
  const registrations = new RecordTable<PublicRegistryRecord>(db, table, ['registration_number']);
  const filings = tableOf(set, 'public_registry_filings');
  const filingRecords = new RecordTable<PublicRegistryFilingRecord>(db, filings, ['filing_id']);
  const selectFiling = db.prepare<[string], PublicRegistryFilingRecord>(
    `SELECT * FROM ${filings} WHERE filing_id = ?`,
  );
  const selectRegistration = db.prepare<[string], PublicRegistryRecord>(
    `SELECT * FROM ${table} WHERE registration_number = ?`,
  );
  // A subject's service numbers are `<subject number>-<n><suffix>`: the key range after its `-`.
  const selectOfSubject = db.prepare<[string, string], PublicRegistryRecord>(
    `SELECT * FROM ${table} WHERE registration_number > ? AND registration_number < ? ORDER BY registration_number`,
  );
  // Rows are written as each event is applied (the batch's transaction holds them), so reads see them.
  const rows: PublicRegistryRowReader = {
    filing: (filingId) => {
      const record = selectFiling.get(filingId);
      return record && toPublicRegistryFilingRow(record);
    },
    registration: (registrationNumber) => {
      const record = selectRegistration.get(registrationNumber);
      return record && toPublicRegistryRow(record);
    },
    registrationsOf: (subjectNumber) =>
      selectOfSubject.all(`${subjectNumber}-`, `${subjectNumber}.`).map(toPublicRegistryRow),
  };
  return {
    apply: (event) => {
      const update = project(rows, event);
      if (update?.filing) filingRecords.write(undefined, toPublicRegistryFilingRecord(update.filing));
      for (const row of update?.registrations ?? [])
        registrations.write(undefined, toPublicRegistryRecord(row));
    },
    flush: () => undefined,
    discard: () => undefined,
  };
}

function slaDashboardApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['sla'],
): Applier {
  const records = new RecordTable<SlaFilingRecord>(db, tableOf(set, 'sla_filings'), ['filing_id']);
  const visits = new RecordTable<SlaStageVisitRecord>(db, tableOf(set, 'sla_stage_visits'), [
    'filing_id',
    'visit',
  ]);
  const rows = new BatchRows(records, toSlaFilingRow, toSlaFilingRecord);
  return {
    apply: (event) => {
      const filingId = followedFilingId(event);
      if (filingId === undefined) return;
      const update = project(rows.get(filingId), event);
      if (!update) return;
      rows.set(filingId, update.filing);
      // Each visit is finished once, so it is written at once.
      if (update.finishedVisit) visits.write(undefined, toSlaStageVisitRecord(update.finishedVisit));
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

export function applierFor(db: Database.Database, set: TableSet, projections: ReadModelProjections): Applier {
  switch (set.projection) {
    case 'filing_summary':
      return filingSummaryApplier(db, set, projections.filingSummary);
    case 'bureau_queue':
      return bureauQueueApplier(db, set, projections.bureauQueue);
    case 'public_registry':
      return publicRegistryApplier(db, set, projections.publicRegistry);
    case 'sla_dashboard':
      return slaDashboardApplier(db, set, projections.sla);
    case 'registry':
      return registryApplier(db, set, projections.registry);
    default:
      return assertNever(set.projection, 'projection');
  }
}
