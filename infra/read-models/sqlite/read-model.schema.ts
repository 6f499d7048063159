import type Database from 'better-sqlite3';
import { PROJECTION_NAMES } from '../../../events/ports/read-models.port';
import { CHECKPOINTS_TABLE_SQL, createTablesSql, liveTableSet } from './read-model.tables';

/**
 * Version of the read-model tables (`PRAGMA user_version`). Read models hold nothing the event log
 * does not, so a schema change does not migrate rows: it drops every table and creates the current
 * ones empty, and the projector replays the log from position 0. Bump it with every table change.
 * 1: filing_summary and public_registry; 2: + bureau_queue, sla_dashboard and rebuild bookkeeping;
 * 3: + registry (subjects, services, their identifiers); 4: + the registry's life (service versions,
 * accesses, cancellations, shell subjects; the public registry's status and its filings' kinds) and
 * filing kinds (kind and target numbers on filing_summary, bureau_queue and sla_filings, bureau_queue's
 * status, kind on sla_stage_visits).
 */
export const READ_MODEL_SCHEMA_VERSION = 4;

/** WAL so API readers never wait for the projector; NORMAL durability: a lost tail is replayed from the log. */
export function configureReadModelConnection(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

export function migrateReadModelSchema(db: Database.Database, file: string): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  if (version() === READ_MODEL_SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = version();
    if (current === READ_MODEL_SCHEMA_VERSION) return;
    if (current > READ_MODEL_SCHEMA_VERSION) {
      throw new Error(
        `read models ${file} have schema version ${current}, newer than this build supports (${READ_MODEL_SCHEMA_VERSION})`,
      );
    }
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    for (const { name } of tables) db.exec(`DROP TABLE "${name.replaceAll('"', '""')}"`);
    db.exec(CHECKPOINTS_TABLE_SQL);
    for (const name of PROJECTION_NAMES) db.exec(createTablesSql(liveTableSet(name)));
    db.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION}`);
  }).immediate();
}
