import type Database from 'better-sqlite3';
import { assertNever } from '../../../events/assert-never';
import { filingIdOfStream } from '../../../events/filing/stream-ids';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type { PublicRegistryRowReader, ReadModelProjections } from '../../../events/ports/read-models.port';
import { BatchRows } from './batch-rows';
import {
  FILING_KIND_COLUMNS,
  FILING_SUMMARY_COLUMNS,
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

function upsert<R extends object>(
  db: Database.Database,
  table: string,
  columns: readonly (keyof R & string)[],
) {
  return db.prepare<[R]>(
    `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
}

function filingSummaryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['filingSummary'],
): Applier {
  const table = tableOf(set, 'filing_summary');
  const select = db.prepare<[string], FilingSummaryRecord>(`SELECT * FROM ${table} WHERE filing_id = ?`);
  const write = upsert<FilingSummaryRecord>(db, table, FILING_SUMMARY_COLUMNS);
  const rows = new BatchRows(
    (filingId) => {
      const record = select.get(filingId);
      return record && toFilingSummaryRow(record);
    },
    (row) => write.run(toFilingSummaryRecord(row)),
  );
  return {
    apply: (event) => {
      const filingId = filingIdOfStream(event.streamId);
      if (filingId === undefined) return;
      const next = project(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function bureauQueueApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['bureauQueue'],
): Applier {
  const table = tableOf(set, 'bureau_queue');
  const select = db.prepare<[string], BureauQueueRecord>(`SELECT * FROM ${table} WHERE filing_id = ?`);
  const write = upsert<BureauQueueRecord>(db, table, [
    'filing_id',
    'platform_id',
    'province',
    'service_type',
    'app_name',
    'submitted_at',
    'updated_at',
    'revision',
    'queued_at',
    'due_by',
    'overdue',
    'status',
    ...FILING_KIND_COLUMNS,
  ]);
  const rows = new BatchRows(
    (filingId) => {
      const record = select.get(filingId);
      return record && toBureauQueueRow(record);
    },
    (row) => write.run(toBureauQueueRecord(row)),
  );
  return {
    apply: (event) => {
      const filingId = filingIdOfStream(event.streamId);
      if (filingId === undefined) return;
      const next = project(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function publicRegistryApplier(
  db: Database.Database,
  set: TableSet,
  project: ReadModelProjections['publicRegistry'],
): Applier {
  const table = tableOf(set, 'public_registry');
  const write = upsert<PublicRegistryRecord>(db, table, [
    'registration_number',
    'app_name',
    'service_type',
    'operator_name',
    'province',
    'published_at',
    'status',
    'cancelled_on',
    'changed_at',
  ]);
  const filings = tableOf(set, 'public_registry_filings');
  const writeFiling = upsert<PublicRegistryFilingRecord>(db, filings, [
    'filing_id',
    'kind',
    'subject_number',
    'service_number',
    'alters_subject',
  ]);
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
      if (update?.filing) writeFiling.run(toPublicRegistryFilingRecord(update.filing));
      for (const row of update?.registrations ?? []) write.run(toPublicRegistryRecord(row));
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
  const filings = tableOf(set, 'sla_filings');
  const select = db.prepare<[string], SlaFilingRecord>(`SELECT * FROM ${filings} WHERE filing_id = ?`);
  const writeFiling = upsert<SlaFilingRecord>(db, filings, [
    'filing_id',
    'platform_id',
    'province',
    ...FILING_KIND_COLUMNS,
    'status',
    'stage',
    'stage_entered_at',
    'due_by',
    'overdue',
    'visits',
  ]);
  const writeVisit = upsert<SlaStageVisitRecord>(db, tableOf(set, 'sla_stage_visits'), [
    'filing_id',
    'visit',
    'province',
    'kind',
    'stage',
    'entered_at',
    'left_at',
    'working_days',
    'calendar_days',
    'was_overdue',
  ]);
  const rows = new BatchRows(
    (filingId) => {
      const record = select.get(filingId);
      return record && toSlaFilingRow(record);
    },
    (row) => writeFiling.run(toSlaFilingRecord(row)),
  );
  return {
    apply: (event) => {
      const filingId = filingIdOfStream(event.streamId);
      if (filingId === undefined) return;
      const update = project(rows.get(filingId), event);
      if (!update) return;
      rows.set(filingId, update.filing);
      // Each visit is finished once, so it is written at once.
      if (update.finishedVisit) writeVisit.run(toSlaStageVisitRecord(update.finishedVisit));
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
