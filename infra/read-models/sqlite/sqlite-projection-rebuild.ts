import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type {
  ProjectionDiff,
  ProjectionRebuild,
  ProjectionTarget,
} from '../../../events/ports/read-models.port';
import { type ProjectionWriter, asProjectionTarget } from './projection-writer';
import type { ShadowTables } from './shadow-tables';

/**
 * A rebuild in shadow tables. It finishes in one write transaction, so nobody (a projector in another
 * process) moves the live tables between the final catch-up and the swap or the comparison.
 */
export class SqliteProjectionRebuild implements ProjectionRebuild {
  readonly target: ProjectionTarget;

  constructor(
    private readonly db: Database.Database,
    private readonly shadow: ShadowTables,
    private readonly live: ProjectionWriter,
  ) {
    this.target = asProjectionTarget(shadow.writer);
  }

  async swapInAt(tail: readonly RecordedEvent[], position: number): Promise<boolean> {
    const swapped = this.atPosition(position, () => {
      catchUp(this.shadow.writer, tail, position);
      this.shadow.swapIn();
      return true;
    });
    return swapped ?? false;
  }

  async compareAt(
    tail: readonly RecordedEvent[],
    position: number,
    sample: number,
  ): Promise<ProjectionDiff | undefined> {
    return this.atPosition(position, () => {
      catchUp(this.shadow.writer, tail, position);
      catchUp(this.live, tail, position);
      return this.shadow.diff(sample);
    });
  }

  async discard(): Promise<void> {
    this.shadow.discard();
  }

  /** `work` in one transaction, unless a projector elsewhere has taken the live tables past `position`. */
  private atPosition<T>(position: number, work: () => T): T | undefined {
    return this.db
      .transaction(() => {
        if ([this.shadow.writer, this.live].some((writer) => writer.checkpoint() > position))
          return undefined;
        return work();
      })
      .immediate();
  }
}

function catchUp(writer: ProjectionWriter, tail: readonly RecordedEvent[], position: number): void {
  writer.applyBatch(tail);
  writer.advanceCheckpoint(position);
}
