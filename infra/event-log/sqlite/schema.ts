import type Database from 'better-sqlite3';

/**
 * Each entry moves the schema one version up; `PRAGMA user_version` records how many have run.
 * Append new migrations, never edit a shipped one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position    INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_id   TEXT    NOT NULL,
     revision    INTEGER NOT NULL CHECK (revision >= 0),
     id          TEXT    NOT NULL UNIQUE,
     type        TEXT    NOT NULL,
     data        TEXT    NOT NULL,
     metadata    TEXT    NOT NULL,
     recorded_at TEXT    NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** WAL so readers never wait for the writer; FULL because this file is the system of record. */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

export function migrateSchema(db: Database.Database, file: string): void {
  if (schemaVersion(db, file) === SCHEMA_VERSION) return;
  // Re-read under the write lock: another process may have migrated since.
  db.transaction(() => {
    const current = schemaVersion(db, file);
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function schemaVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `event log sqlite:${file} has schema version ${version}, newer than this build supports (${SCHEMA_VERSION}); upgrade icp`,
    );
  }
  return version;
}
