import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type {
  ApplyResult,
  ProjectionTarget,
  ReadModelProjections,
} from '../../../events/ports/read-models.port';
import { type Applier, applierFor } from './row-appliers';
import type { TableSet } from '../read-model-tables';

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
    projections: ReadModelProjections,
  ) {
    this.applier = applierFor(db, set, projections);
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

/** The writer behind the port: the same transactions, answered as promises. */
export function asProjectionTarget(writer: ProjectionWriter): ProjectionTarget {
  return {
    checkpoint: async () => writer.checkpoint(),
    applyBatch: async (events) => writer.applyBatch(events),
    advanceCheckpoint: async (position) => writer.advanceCheckpoint(position),
  };
}
