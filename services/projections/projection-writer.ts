import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../infra/event-log/event-log.port';
import { assertNever } from '../../events/assert-never';
import { filingIdOfStream } from '../../events/filing/stream-ids';
import type { WorkingDayCalendar } from '../../events/working-days';
import { projectBureauQueue } from './bureau-queue.projection';
import { projectFilingSummary } from './filing-summary.projection';
import { projectPublicRegistry } from './public-registry.projection';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryRecord,
  type SlaFilingRecord,
  type SlaStageVisitRecord,
  toBureauQueueRecord,
  toBureauQueueRow,
  toFilingSummaryRecord,
  toFilingSummaryRow,
  toPublicRegistryRecord,
  toSlaFilingRecord,
  toSlaFilingRow,
  toSlaStageVisitRecord,
} from './read-model.records';
import { type TableSet, tableOf } from './read-model.tables';
import { projectSla } from './sla-dashboard.projection';

export interface ApplyResult {
  /** Events past the checkpoint that this call processed. */
  applied: number;
  /** The checkpoint after the call. */
  checkpoint: number;
}

type ApplyOne = (event: RecordedEvent) => void;

function upsert<R extends object>(
  db: Database.Database,
  table: string,
  columns: readonly (keyof R & string)[],
) {
  return db.prepare<[R]>(
    `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
}

function filingSummaryApplier(db: Database.Database, set: TableSet): ApplyOne {
  const table = tableOf(set, 'filing_summary');
  const select = db.prepare<[string], FilingSummaryRecord>(`SELECT * FROM ${table} WHERE filing_id = ?`);
  const write = upsert<FilingSummaryRecord>(db, table, [
    'filing_id',
    'platform_id',
    'province',
    'service_type',
    'app_name',
    'status',
    'stage',
    'registration_number',
    'due_by',
    'overdue',
    'revision',
    'submitted_at',
    'updated_at',
    'operator_name',
  ]);
  return (event) => {
    const filingId = filingIdOfStream(event.streamId);
    if (filingId === undefined) return;
    const record = select.get(filingId);
    const next = projectFilingSummary(record && toFilingSummaryRow(record), event);
    if (next) write.run(toFilingSummaryRecord(next));
  };
}

function bureauQueueApplier(db: Database.Database, set: TableSet): ApplyOne {
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
  ]);
  return (event) => {
    const filingId = filingIdOfStream(event.streamId);
    if (filingId === undefined) return;
    const record = select.get(filingId);
    const next = projectBureauQueue(record && toBureauQueueRow(record), event);
    if (next) write.run(toBureauQueueRecord(next));
  };
}

function publicRegistryApplier(db: Database.Database, set: TableSet): ApplyOne {
  const write = upsert<PublicRegistryRecord>(db, tableOf(set, 'public_registry'), [
    'registration_number',
    'app_name',
    'service_type',
    'operator_name',
    'province',
    'published_at',
  ]);
  return (event) => {
    const row = projectPublicRegistry(event);
    if (row) write.run(toPublicRegistryRecord(row));
  };
}

function slaDashboardApplier(db: Database.Database, set: TableSet, calendar: WorkingDayCalendar): ApplyOne {
  const filings = tableOf(set, 'sla_filings');
  const select = db.prepare<[string], SlaFilingRecord>(`SELECT * FROM ${filings} WHERE filing_id = ?`);
  const writeFiling = upsert<SlaFilingRecord>(db, filings, [
    'filing_id',
    'platform_id',
    'province',
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
    'stage',
    'entered_at',
    'left_at',
    'working_days',
    'calendar_days',
    'was_overdue',
  ]);
  return (event) => {
    const filingId = filingIdOfStream(event.streamId);
    if (filingId === undefined) return;
    const record = select.get(filingId);
    const update = projectSla(record && toSlaFilingRow(record), event, calendar);
    if (!update) return;
    writeFiling.run(toSlaFilingRecord(update.filing));
    if (update.finishedVisit) writeVisit.run(toSlaStageVisitRecord(update.finishedVisit));
  };
}

function applierFor(db: Database.Database, set: TableSet, calendar: WorkingDayCalendar): ApplyOne {
  switch (set.projection) {
    case 'filing_summary':
      return filingSummaryApplier(db, set);
    case 'bureau_queue':
      return bureauQueueApplier(db, set);
    case 'public_registry':
      return publicRegistryApplier(db, set);
    case 'sla_dashboard':
      return slaDashboardApplier(db, set, calendar);
    default:
      return assertNever(set.projection, 'projection');
  }
}

/**
 * Writes one projection's rows into a table set (live or a rebuild's shadow). Rows and the set's
 * checkpoint change in one transaction, so an event delivered twice is never applied twice.
 */
export class ProjectionWriter {
  private readonly applyOne: ApplyOne;
  private readonly selectCheckpoint: Database.Statement<[string], { position: number }>;
  private readonly writeCheckpoint: Database.Statement<[string, number]>;
  private readonly applyTransaction: Database.Transaction<(events: readonly RecordedEvent[]) => ApplyResult>;

  constructor(
    private readonly db: Database.Database,
    readonly set: TableSet,
    calendar: WorkingDayCalendar,
  ) {
    this.applyOne = applierFor(db, set, calendar);
    this.selectCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.writeCheckpoint = db.prepare(
      `INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.applyTransaction = db.transaction((events: readonly RecordedEvent[]): ApplyResult => {
      let checkpoint = this.checkpoint();
      let applied = 0;
      for (const event of events) {
        if (event.position <= checkpoint) continue;
        this.applyOne(event);
        checkpoint = event.position;
        applied += 1;
      }
      if (applied > 0) this.writeCheckpoint.run(this.set.checkpointKey, checkpoint);
      return { applied, checkpoint };
    });
  }

  /** The last log position applied; 0 when nothing has been. */
  checkpoint(): number {
    return this.selectCheckpoint.get(this.set.checkpointKey)?.position ?? 0;
  }

  /** Applies, in log order, the events past the checkpoint and moves it to the last one: one transaction. */
  applyBatch(events: readonly RecordedEvent[]): ApplyResult {
    return this.applyTransaction.immediate(events);
  }

  /** Moves the checkpoint past positions that hold nothing for this projection (never back). */
  advanceCheckpoint(position: number): void {
    this.db
      .transaction(() => {
        if (position > this.checkpoint()) this.writeCheckpoint.run(this.set.checkpointKey, position);
      })
      .immediate();
  }
}
