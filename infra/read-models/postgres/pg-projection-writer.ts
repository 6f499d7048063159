import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type {
  ApplyResult,
  ProjectionTarget,
  ReadModelProjections,
} from '../../../events/ports/read-models.port';
import { inTransaction } from '../../postgres/pg-pool';
import type { TableSet } from '../read-model-tables';
import { applyEvents } from './pg-row-appliers';

/** Advisory-lock namespace (the first key) of the read models' table sets: one writer per set at a time. */
export const READ_MODEL_LOCKS = 0x1c9_0001;

/** Serialises, across hosts, the transactions writing `checkpointKey`'s rows and checkpoint. */
export async function lockTableSet(client: PoolClient, checkpointKey: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [READ_MODEL_LOCKS, checkpointKey]);
}

export async function readCheckpoint(db: Pool | PoolClient, checkpointKey: string): Promise<number> {
  const result = await db.query<{ position: string }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [checkpointKey],
  );
  return Number(result.rows[0]?.position ?? 0);
}

export async function writeCheckpoint(
  client: PoolClient,
  checkpointKey: string,
  position: number,
): Promise<void> {
  await client.query(
    `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
    [checkpointKey, position],
  );
}

/**
 * Writes one projection's rows into a table set (live or a rebuild's shadow). Rows and the set's
 * checkpoint change in one transaction, which holds the set's advisory lock: two hosts delivering
 * the same event never both apply it.
 */
export class PgProjectionWriter implements ProjectionTarget {
  constructor(
    private readonly pool: Pool,
    readonly set: TableSet,
    private readonly projections: ReadModelProjections,
  ) {}

  async checkpoint(): Promise<number> {
    return readCheckpoint(this.pool, this.set.checkpointKey);
  }

  async applyBatch(events: readonly RecordedEvent[]): Promise<ApplyResult> {
    return inTransaction(this.pool, (client) => this.applyIn(client, events));
  }

  async advanceCheckpoint(position: number): Promise<void> {
    await inTransaction(this.pool, (client) => this.advanceIn(client, position));
  }

  /** applyBatch inside the caller's transaction. */
  async applyIn(client: PoolClient, events: readonly RecordedEvent[]): Promise<ApplyResult> {
    await lockTableSet(client, this.set.checkpointKey);
    const from = await readCheckpoint(client, this.set.checkpointKey);
    const fresh = pastCheckpoint(events, from);
    const checkpoint = fresh.at(-1)?.position ?? from;
    if (fresh.length === 0) return { applied: 0, checkpoint };
    await applyEvents(client, this.set, this.projections, fresh);
    await writeCheckpoint(client, this.set.checkpointKey, checkpoint);
    return { applied: fresh.length, checkpoint };
  }

  /** advanceCheckpoint inside the caller's transaction. */
  async advanceIn(client: PoolClient, position: number): Promise<void> {
    await lockTableSet(client, this.set.checkpointKey);
    if (position > (await readCheckpoint(client, this.set.checkpointKey)))
      await writeCheckpoint(client, this.set.checkpointKey, position);
  }
}

/** The events, in the order given, each past the checkpoint its predecessors moved to. */
function pastCheckpoint(events: readonly RecordedEvent[], from: number): RecordedEvent[] {
  let checkpoint = from;
  return events.filter((event) => {
    if (event.position <= checkpoint) return false;
    checkpoint = event.position;
    return true;
  });
}
