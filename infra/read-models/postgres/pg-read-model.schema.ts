import type { Pool } from 'pg';
import { PROJECTION_NAMES } from '../../../events/ports/read-models.port';
import { type Migration, migrate } from '../../postgres/schema';
import {
  READ_MODEL_SCHEMA_VERSION,
  checkpointsTableSql,
  createTablesSql,
  liveTableSet,
  liveTables,
} from '../read-model-tables';

const STORE = 'read-models';

/**
 * Read models hold nothing the event log does not: a schema version drops every read-model table
 * and creates the current ones empty (the projector replays from position 0), as SQLite does with
 * user_version. `migrate` runs it once, under its advisory lock, whichever host starts first.
 */
function recreateSql(): string {
  const tables = [...PROJECTION_NAMES.flatMap(liveTables), 'projection_checkpoints', 'projection_rebuilds'];
  return [
    ...tables.map((table) => `DROP TABLE IF EXISTS ${table} CASCADE;`),
    checkpointsTableSql('postgres'),
    ...PROJECTION_NAMES.map((name) => createTablesSql(liveTableSet(name), 'postgres')),
  ].join('\n');
}

export async function migrateReadModelSchema(pool: Pool, description: string): Promise<void> {
  const migrations: Migration[] = [{ version: READ_MODEL_SCHEMA_VERSION, sql: recreateSql() }];
  await migrate(pool, STORE, migrations);
  const newest = await pool.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM icp_schema_migrations WHERE store = $1',
    [STORE],
  );
  const version = newest.rows[0]?.version ?? READ_MODEL_SCHEMA_VERSION;
  if (version > READ_MODEL_SCHEMA_VERSION) {
    throw new Error(
      `read models on ${description} have schema version ${version}, newer than this build supports (${READ_MODEL_SCHEMA_VERSION})`,
    );
  }
}
