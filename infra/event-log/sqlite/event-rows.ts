import type Database from 'better-sqlite3';
import type { Json, RecordedEvent } from '../../../events/ports/event-log.port';

export interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

type NewEventRow = Omit<EventRow, 'position'>;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as Json,
    metadata: JSON.parse(row.metadata) as Json,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

const COLUMNS = 'position, stream_id, revision, id, type, data, metadata, recorded_at';

/** Appends one row; named parameters as in NewEventRow (also for a process writing the file itself). */
export const INSERT_EVENT_SQL = `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at)
  VALUES (:stream_id, :revision, :id, :type, :data, :metadata, :recorded_at)`;

// `substr` and `length` count characters on both sides, so non-ASCII prefixes compare correctly.
const PREFIX_MATCHES = '(:prefix IS NULL OR substr(stream_id, 1, length(:prefix)) = :prefix)';

/** Every statement the log runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    head: db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
    lastOfStream: db.prepare<[string], { revision: number; position: number }>(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    byId: db.prepare<[string], { stream_id: string; revision: number; position: number }>(
      'SELECT stream_id, revision, position FROM events WHERE id = ?',
    ),
    idsFrom: db.prepare<[string, number, number], { id: string; position: number }>(
      'SELECT id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    insert: db.prepare<[NewEventRow]>(INSERT_EVENT_SQL),
    readStream: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readAll: db.prepare<[{ from: number; upTo: number; prefix: string | null; limit: number }], EventRow>(
      `SELECT ${COLUMNS} FROM events
       WHERE position > :from AND position <= :upTo AND ${PREFIX_MATCHES}
       ORDER BY position LIMIT :limit`,
    ),
  };
}

export type EventStatements = ReturnType<typeof prepareStatements>;

/** SQLite reads a negative LIMIT as "no limit". */
export const NO_LIMIT = -1;

// The functions below serve tools that read or alter the file behind the log's back (tests that
// tamper with it, fault checks, benchmarks); the log itself never calls them.

/** Each stream's id, in the order the streams began. */
export function streamIdsInOrder(db: Database.Database): string[] {
  return db
    .prepare<[], { stream_id: string }>('SELECT stream_id FROM events WHERE revision = 0 ORDER BY position')
    .all()
    .map((row) => row.stream_id);
}

/** Each stream's last position, in the order the streams began. */
export function streamEndPositions(db: Database.Database): number[] {
  return db
    .prepare<[], { end: number }>(
      'SELECT max(position) AS end FROM events GROUP BY stream_id ORDER BY min(position)',
    )
    .all()
    .map((row) => row.end);
}

/** The ids of the streams whose id starts with `prefix`. */
export function streamIdsWithPrefix(db: Database.Database, prefix: string): string[] {
  return db
    .prepare<[{ prefix: string | null }], { stream_id: string }>(
      `SELECT DISTINCT stream_id FROM events WHERE ${PREFIX_MATCHES}`,
    )
    .all({ prefix })
    .map((row) => row.stream_id);
}

/** Rows whose id another row has too (0 in a sound log). */
export function duplicateIdCount(db: Database.Database): number {
  return db.prepare<[], { n: number }>('SELECT count(*) - count(DISTINCT id) AS n FROM events').get()?.n ?? 0;
}

/** Rewrites a stored event's id, type, data and metadata in place; position and hashes stay. */
export function rewriteEventRow(
  db: Database.Database,
  row: Pick<EventRow, 'stream_id' | 'revision' | 'id' | 'type' | 'data' | 'metadata'>,
): void {
  db.prepare<[typeof row]>(
    `UPDATE events SET id = :id, type = :type, data = :data, metadata = :metadata
     WHERE stream_id = :stream_id AND revision = :revision`,
  ).run(row);
}

export function deleteEventRow(db: Database.Database, streamId: string, revision: number): void {
  db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, revision);
}

/** Copies, as stored, the rows up to `position` of the events table of the attached database `schema`. */
export function copyEventRows(db: Database.Database, schema: string, position: number): void {
  db.prepare(`INSERT INTO events SELECT * FROM ${schema}.events WHERE position <= ? ORDER BY position`).run(
    position,
  );
}
