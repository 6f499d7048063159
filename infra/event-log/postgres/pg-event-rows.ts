import type { Json, RecordedEvent } from '../../../events/ports/event-log.port';

export interface PgEventRow {
  /** BIGINT columns arrive as strings. */
  position: string;
  stream_id: string;
  revision: string;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
}

export function toRecordedEvent(row: PgEventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as Json,
    metadata: JSON.parse(row.metadata) as Json,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    recordedAt: row.recorded_at.toISOString(),
  };
}

const COLUMNS = 'position, stream_id, revision, id, type, data, metadata, recorded_at';

/** `$1` first revision, `$2` limit (NULL: none). */
export const READ_STREAM_SQL = `SELECT ${COLUMNS} FROM event_log_events
  WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;

/** `$1` after this position, `$2` up to this one, `$3` stream prefix (NULL: any), `$4` limit (NULL: none). */
export const READ_ALL_SQL = `SELECT ${COLUMNS} FROM event_log_events
  WHERE position > $1 AND position <= $2 AND ($3::text IS NULL OR starts_with(stream_id, $3))
  ORDER BY position LIMIT $4`;

export const HEAD_SQL = 'SELECT position FROM event_log_head';

export const APPEND_SQL =
  'SELECT next_expected_revision, last_position, already_appended FROM event_log_append($1::jsonb)';

export interface AppendResultRow {
  next_expected_revision: string;
  last_position: string;
  already_appended: boolean;
}
