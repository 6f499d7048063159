import Database from 'better-sqlite3';
import { GENESIS_HASH, hashFilingEvent } from '../../../events/filing/envelope';
import type { FilingEventMetadata } from '../../../events/filing/filing-events';
import {
  NO_LIMIT,
  deleteEventRow,
  prepareStatements,
  rewriteEventRow,
} from '../../../infra/event-log/sqlite/event-rows';

/**
 * Tampering with an event log's SQLite file behind the log's back, as someone with write access to the
 * file could: the rows of the `events` table (infra/event-log/sqlite/schema.ts), edited in place.
 */

export interface StoredRow {
  revision: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: FilingEventMetadata;
}

function withFile<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return db.transaction(() => work(db)).immediate();
  } finally {
    db.close();
  }
}

function rowsOf(db: Database.Database, streamId: string): StoredRow[] {
  const raw = prepareStatements(db).readStream.all(streamId, 0, NO_LIMIT);
  return raw.map((row) => ({
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as FilingEventMetadata,
  }));
}

function write(db: Database.Database, streamId: string, row: StoredRow): void {
  rewriteEventRow(db, {
    stream_id: streamId,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: JSON.stringify(row.data),
    metadata: JSON.stringify(row.metadata),
  });
}

export function readRows(file: string, streamId: string): StoredRow[] {
  return withFile(file, (db) => rowsOf(db, streamId));
}

/** The revision of the stream's first event of `type`. */
export function revisionOf(file: string, streamId: string, type: string): number {
  const row = readRows(file, streamId).find((candidate) => candidate.type === type);
  if (!row) throw new Error(`${streamId} has no ${type}`);
  return row.revision;
}

/** Rewrites one event's id, type, data or metadata in place; the hashes stay as they were. */
export function editEvent(
  file: string,
  streamId: string,
  revision: number,
  edit: (row: StoredRow) => StoredRow,
): void {
  withFile(file, (db) => {
    const row = rowsOf(db, streamId).find((candidate) => candidate.revision === revision);
    if (!row) throw new Error(`${streamId} has no revision ${revision}`);
    write(db, streamId, { ...edit(row), revision });
  });
}

export function deleteEvent(file: string, streamId: string, revision: number): void {
  withFile(file, (db) => {
    deleteEventRow(db, streamId, revision);
  });
}

/** Swaps id, type, data and metadata between two revisions: the events trade places in the stream. */
export function swapEvents(file: string, streamId: string, a: number, b: number): void {
  withFile(file, (db) => {
    const rows = rowsOf(db, streamId);
    const rowA = rows.find((row) => row.revision === a);
    const rowB = rows.find((row) => row.revision === b);
    if (!rowA || !rowB) throw new Error(`${streamId} lacks revision ${a} or ${b}`);
    // Ids are unique across the log: park both while they trade places.
    write(db, streamId, { ...rowA, id: '00000000-0000-0000-0000-00000000000a' });
    write(db, streamId, { ...rowB, id: '00000000-0000-0000-0000-00000000000b' });
    write(db, streamId, { ...rowB, revision: a });
    write(db, streamId, { ...rowA, revision: b });
  });
}

/**
 * Recomputes prevHash and hash of every event from `fromRevision` on, as a forger who knows the hash
 * rule would: afterwards the chain verifies again.
 */
export function resealFrom(file: string, streamId: string, fromRevision: number): void {
  withFile(file, (db) => {
    let prevHash = GENESIS_HASH;
    for (const row of rowsOf(db, streamId)) {
      if (row.revision >= fromRevision) {
        const { hash: _stale, ...metadata } = { ...row.metadata, prevHash };
        const hash = hashFilingEvent(row, metadata);
        write(db, streamId, { ...row, metadata: { ...metadata, hash } });
        prevHash = hash;
      } else {
        prevHash = row.metadata.hash;
      }
    }
  });
}
