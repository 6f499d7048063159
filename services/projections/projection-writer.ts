import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../events/ports/event-log.port';
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

/**
 * Applies events to one projection's tables. Within a batch (one transaction) each filing's row is
 * read once and written once, at `flush`, however many of its events the batch holds: a rebuild reads
 * ~9 events per filing, and writing the row back after every one of them was most of its time.
 */
interface Applier {
  apply(event: RecordedEvent): void;
  /** Writes the batch's changed rows. */
  flush(): void;
  /** Forgets the batch's rows unwritten (its transaction is rolled back). */
  discard(): void;
}

/** The rows of one batch by filing id (`undefined`: no row yet), and which of them changed. */
class BatchRows<Row> {
  private readonly rows = new Map<string, Row | undefined>();
  private readonly changed = new Set<string>();

  constructor(
    private readonly load: (filingId: string) => Row | undefined,
    private readonly store: (row: Row) => void,
  ) {}

  get(filingId: string): Row | undefined {
    if (!this.rows.has(filingId)) this.rows.set(filingId, this.load(filingId));
    return this.rows.get(filingId);
  }

  set(filingId: string, row: Row): void {
    this.rows.set(filingId, row);
    this.changed.add(filingId);
  }

  flush(): void {
    for (const filingId of this.changed) {
      const row = this.rows.get(filingId);
      if (row !== undefined) this.store(row);
    }
    this.discard();
  }

  discard(): void {
    this.rows.clear();
    this.changed.clear();
  }
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

function filingSummaryApplier(db: Database.Database, set: TableSet): Applier {
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
      const next = projectFilingSummary(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function bureauQueueApplier(db: Database.Database, set: TableSet): Applier {
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
      const next = projectBureauQueue(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function publicRegistryApplier(db: Database.Database, set: TableSet): Applier {
  const write = upsert<PublicRegistryRecord>(db, tableOf(set, 'public_registry'), [
    'registration_number',
    'app_name',
    'service_type',
    'operator_name',
    'province',
    'published_at',
  ]);
  return {
    apply: (event) => {
      const row = projectPublicRegistry(event);
      if (row) write.run(toPublicRegistryRecord(row));
    },
    flush: () => undefined,
    discard: () => undefined,
  };
}

function slaDashboardApplier(db: Database.Database, set: TableSet, calendar: WorkingDayCalendar): Applier {
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
      const update = projectSla(rows.get(filingId), event, calendar);
      if (!update) return;
      rows.set(filingId, update.filing);
      // Each visit is finished once, so it is written at once.
      if (update.finishedVisit) writeVisit.run(toSlaStageVisitRecord(update.finishedVisit));
    },
    flush: () => rows.flush(),
    discard: () => rows.discard(),
  };
}

function applierFor(db: Database.Database, set: TableSet, calendar: WorkingDayCalendar): Applier {
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
  private readonly applier: Applier;
  private readonly selectCheckpoint: Database.Statement<[string], { position: number }>;
  private readonly writeCheckpoint: Database.Statement<[string, number]>;
  private readonly applyTransaction: Database.Transaction<(events: readonly RecordedEvent[]) => ApplyResult>;

  constructor(
    private readonly db: Database.Database,
    readonly set: TableSet,
    calendar: WorkingDayCalendar,
  ) {
    this.applier = applierFor(db, set, calendar);
    this.selectCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.writeCheckpoint = db.prepare(
      `INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.applyTransaction = db.transaction((events: readonly RecordedEvent[]): ApplyResult => {
      let checkpoint = this.checkpoint();
      let applied = 0;
      try {
        for (const event of events) {
          if (event.position <= checkpoint) continue;
          this.applier.apply(event);
          checkpoint = event.position;
          applied += 1;
        }
        this.applier.flush();
      } catch (error) {
        this.applier.discard();
        throw error;
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
