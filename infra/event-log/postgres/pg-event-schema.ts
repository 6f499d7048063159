import type { Migration } from '../../postgres/schema';

/** The channel `event_log_append` notifies on commit; the payload is the new head position. */
export const APPENDED_CHANNEL = 'event_log_appended';

/** SQLSTATEs `event_log_append` raises; DETAIL is JSON naming the append (its index in the batch). */
export const WRONG_EXPECTED_REVISION = 'IC409';
export const EVENT_ID_CONFLICT = 'IC410';

// Positions come from the one-row `event_log_head`, updated under its row lock: an append holds that
// lock from its first read to its commit, so appends commit one at a time and positions become
// visible in order, without gaps (a bigserial would let a later position commit before an earlier
// one, and a reader of `position > checkpoint` would skip the earlier one for good).
const APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION event_log_append(appends jsonb)
RETURNS TABLE (next_expected_revision bigint, last_position bigint, already_appended boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  head bigint;
  first_head bigint;
  item jsonb;
  item_index integer := 0;
  stream text;
  expected text;
  expected_last bigint;
  ids text[];
  n integer;
  actual bigint;
  actual_position bigint;
  from_revision bigint;
  same boolean;
  retried_position bigint;
  clash record;
BEGIN
  SELECT h.position INTO head FROM event_log_head h FOR UPDATE;
  first_head := head;
  FOR item IN SELECT a.value FROM jsonb_array_elements(appends) AS a LOOP
    stream := item->>'streamId';
    expected := item->>'expectedRevision';
    expected_last := CASE expected WHEN 'any' THEN NULL WHEN 'no_stream' THEN -1 ELSE expected::bigint END;
    ids := ARRAY(SELECT t.e->>'id' FROM jsonb_array_elements(item->'events') WITH ORDINALITY AS t(e, i) ORDER BY t.i);
    n := cardinality(ids);
    SELECT e.revision, e.position INTO actual, actual_position
      FROM event_log_events e WHERE e.stream_id = stream ORDER BY e.revision DESC LIMIT 1;

    -- Where an earlier attempt of this append would sit, if the stream is not where it was expected.
    from_revision := NULL;
    IF expected = 'any' THEN
      IF n > 0 THEN
        SELECT e.revision INTO from_revision FROM event_log_events e WHERE e.id = ids[1] AND e.stream_id = stream;
      END IF;
    ELSIF expected_last <> coalesce(actual, -1) THEN
      from_revision := expected_last + 1;
    END IF;
    IF from_revision IS NOT NULL AND n > 0 THEN
      SELECT coalesce(array_agg(s.id ORDER BY s.revision) = ids, false), max(s.position)
        INTO same, retried_position
        FROM (SELECT e.id, e.revision, e.position FROM event_log_events e
              WHERE e.stream_id = stream AND e.revision >= from_revision ORDER BY e.revision LIMIT n) s;
      IF same THEN
        next_expected_revision := from_revision + n - 1;
        last_position := retried_position;
        already_appended := true;
        RETURN NEXT;
        item_index := item_index + 1;
        CONTINUE;
      END IF;
    END IF;
    IF expected <> 'any' AND expected_last <> coalesce(actual, -1) THEN
      RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_REVISION}', MESSAGE = 'wrong expected revision',
        DETAIL = json_build_object('append', item_index, 'actual', actual)::text;
    END IF;

    IF n = 0 THEN
      next_expected_revision := coalesce(actual, -1);
      last_position := coalesce(actual_position, 0);
      already_appended := false;
      RETURN NEXT;
      item_index := item_index + 1;
      CONTINUE;
    END IF;
    SELECT e.id, e.stream_id, e.revision, array_position(ids, e.id) AS at INTO clash
      FROM event_log_events e WHERE e.id = ANY (ids) ORDER BY 4 LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = '${EVENT_ID_CONFLICT}', MESSAGE = 'event id already recorded',
        DETAIL = json_build_object('append', item_index, 'eventId', clash.id,
          'revision', coalesce(actual, -1) + clash.at,
          'existingStreamId', clash.stream_id, 'existingRevision', clash.revision)::text;
    END IF;
    INSERT INTO event_log_events (position, stream_id, revision, id, type, data, metadata, recorded_at)
      SELECT head + t.i, stream, coalesce(actual, -1) + t.i, t.e->>'id', t.e->>'type', t.e->>'data',
             t.e->>'metadata', now()
      FROM jsonb_array_elements(item->'events') WITH ORDINALITY AS t(e, i);
    head := head + n;
    next_expected_revision := coalesce(actual, -1) + n;
    last_position := head;
    already_appended := false;
    RETURN NEXT;
    item_index := item_index + 1;
  END LOOP;
  IF head > first_head THEN
    UPDATE event_log_head SET position = head;
    PERFORM pg_notify('${APPENDED_CHANNEL}', head::text);
  END IF;
END
$fn$;`;

/** Append new migrations, never edit a released one. */
export const EVENT_LOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // COLLATE "C": stream ids compare by code point, as in SQLite, whatever the database's locale.
    // data and metadata are the JSON text as appended: jsonb would refuse \u0000 and reorder keys.
    sql: `CREATE TABLE IF NOT EXISTS event_log_events (
        position BIGINT PRIMARY KEY,
        stream_id TEXT COLLATE "C" NOT NULL,
        revision BIGINT NOT NULL CHECK (revision >= 0),
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL,
        UNIQUE (stream_id, revision)
      );
      CREATE TABLE IF NOT EXISTS event_log_head (
        only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
        position BIGINT NOT NULL
      );
      INSERT INTO event_log_head (only_row, position) VALUES (true, 0) ON CONFLICT DO NOTHING;
      ${APPEND_FUNCTION}`,
  },
];
