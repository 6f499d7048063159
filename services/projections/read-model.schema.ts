import type Database from 'better-sqlite3';

/**
 * Read-model tables. Each entry moves the schema one version up (`PRAGMA user_version`); append new
 * migrations, never edit a shipped one. Everything here can be rebuilt from the event log.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE filing_summary (
     filing_id           TEXT    PRIMARY KEY,
     platform_id         TEXT    NOT NULL,
     province            TEXT    NOT NULL,
     service_type        TEXT    NOT NULL,
     app_name            TEXT    NOT NULL,
     status              TEXT    NOT NULL,
     stage               TEXT    NOT NULL,
     registration_number TEXT,
     due_by              TEXT,
     overdue             INTEGER NOT NULL CHECK (overdue IN (0, 1)),
     revision            INTEGER NOT NULL,
     submitted_at        TEXT    NOT NULL,
     updated_at          TEXT    NOT NULL,
     operator_name       TEXT
   ) STRICT;
   CREATE INDEX filing_summary_by_submitted ON filing_summary (submitted_at DESC, filing_id DESC);
   CREATE INDEX filing_summary_by_status ON filing_summary (status, submitted_at DESC, filing_id DESC);
   CREATE INDEX filing_summary_by_stage ON filing_summary (stage, submitted_at DESC, filing_id DESC);
   CREATE INDEX filing_summary_by_province ON filing_summary (province, submitted_at DESC, filing_id DESC);
   CREATE INDEX filing_summary_by_platform ON filing_summary (platform_id, submitted_at DESC, filing_id DESC);
   CREATE INDEX filing_summary_bureau_queue
     ON filing_summary (province, stage, status, overdue DESC, due_by, filing_id);

   CREATE TABLE public_registry (
     registration_number TEXT PRIMARY KEY,
     app_name            TEXT NOT NULL,
     service_type        TEXT NOT NULL,
     operator_name       TEXT NOT NULL,
     province            TEXT NOT NULL,
     published_at        TEXT NOT NULL
   ) STRICT;
   CREATE INDEX public_registry_by_app_name ON public_registry (app_name);
   CREATE INDEX public_registry_by_operator_name ON public_registry (operator_name);

   CREATE TABLE projection_checkpoints (
     name     TEXT    PRIMARY KEY,
     position INTEGER NOT NULL CHECK (position >= 0)
   ) STRICT;`,
];

export const READ_MODEL_SCHEMA_VERSION = MIGRATIONS.length;

/** WAL so API readers never wait for the projector; NORMAL durability: a lost tail is replayed from the log. */
export function configureReadModelConnection(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

export function migrateReadModelSchema(db: Database.Database, file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > READ_MODEL_SCHEMA_VERSION) {
      throw new Error(
        `read models ${file} have schema version ${current}, newer than this build supports (${READ_MODEL_SCHEMA_VERSION})`,
      );
    }
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    db.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION}`);
  }).immediate();
}
