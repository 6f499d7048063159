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
    insert: db.prepare<[NewEventRow]>(
      `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at)
       VALUES (:stream_id, :revision, :id, :type, :data, :metadata, :recorded_at)`,
    ),
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
