import type Database from 'better-sqlite3';
import { PROJECTION_NAMES } from '../../../events/ports/read-models.port';
import {
  READ_MODEL_SCHEMA_VERSION,
  checkpointsTableSql,
  createTablesSql,
  liveTableSet,
} from '../read-model-tables';

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
    db.exec(checkpointsTableSql('sqlite'));
    for (const name of PROJECTION_NAMES) db.exec(createTablesSql(liveTableSet(name), 'sqlite'));
    db.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION}`);
  }).immediate();
}
