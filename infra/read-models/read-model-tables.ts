import type { ProjectionName } from '../../events/ports/read-models.port';

/**
 * The read-model tables of both backends. Definitions are written once in SQLite's terms; PostgreSQL
 * gets them with byte-order text (`COLLATE "C"`, as SQLite compares, so ordering, key ranges and
 * `lower()` answer the same), DOUBLE PRECISION for REAL and BIGINT log positions.
 */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Version of the read-model tables (SQLite's `PRAGMA user_version`, PostgreSQL's
 * `icp_schema_migrations`). Read models hold nothing the event log
 * does not, so a schema change does not migrate rows: it drops every table and creates the current
 * ones empty, and the projector replays the log from position 0. Bump it with every table change.
 * 1: filing_summary and public_registry; 2: + bureau_queue, sla_dashboard and rebuild bookkeeping;
 * 3: + registry (subjects, services, their identifiers); 4: + the registry's life (service versions,
 * accesses, cancellations, shell subjects; the public registry's status and its filings' kinds) and
 * filing kinds (kind and target numbers on filing_summary, bureau_queue and sla_filings, bureau_queue's
 * status, kind on sla_stage_visits); 5: filing_summary keeps all the filing's status view shows (the rest of
 * a change's target, provisional, SMS attempts left, reasons, field reasons, returnedBy), so
 * `GET /v1/filings/:id` answers from it.
 */
export const READ_MODEL_SCHEMA_VERSION = 5;

interface TableDefinition {
  /** The live table's name. */
  readonly table: string;
  /** Column definitions and constraints, in the order rows are compared. */
  readonly columns: string;
  /** Index name suffix → indexed columns (and the WHERE of a partial index). */
  readonly indexes: Readonly<Record<string, string | { columns: string; where: string }>>;
}

const TABLES: Record<ProjectionName, readonly TableDefinition[]> = {
  filing_summary: [
    {
      table: 'filing_summary',
      columns: `filing_id           TEXT    PRIMARY KEY,
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
        operator_name       TEXT,
        kind                  TEXT NOT NULL,
        target_subject_number TEXT,
        target_service_number TEXT,
        target_alters_subject INTEGER CHECK (target_alters_subject IN (0, 1)),
        target_alters_service INTEGER CHECK (target_alters_service IN (0, 1)),
        target_base_filing_id TEXT,
        provisional           INTEGER CHECK (provisional IN (0, 1)),
        sms_attempts_left     INTEGER,
        reasons               TEXT,
        field_reasons         TEXT,
        returned_by           TEXT`,
      indexes: {
        by_submitted: 'submitted_at DESC, filing_id DESC',
        by_kind: 'kind, submitted_at DESC, filing_id DESC',
        by_status: 'status, submitted_at DESC, filing_id DESC',
        by_stage: 'stage, submitted_at DESC, filing_id DESC',
        by_province: 'province, submitted_at DESC, filing_id DESC',
        by_platform: 'platform_id, submitted_at DESC, filing_id DESC',
      },
    },
  ],
  bureau_queue: [
    {
      table: 'bureau_queue',
      columns: `filing_id    TEXT    PRIMARY KEY,
        platform_id  TEXT    NOT NULL,
        province     TEXT    NOT NULL,
        service_type TEXT    NOT NULL,
        app_name     TEXT    NOT NULL,
        submitted_at TEXT    NOT NULL,
        updated_at   TEXT    NOT NULL,
        revision     INTEGER NOT NULL,
        queued_at    TEXT,
        due_by       TEXT,
        overdue      INTEGER NOT NULL CHECK (overdue IN (0, 1)),
        status                TEXT NOT NULL,
        kind                  TEXT NOT NULL,
        target_subject_number TEXT,
        target_service_number TEXT`,
      indexes: {
        waiting: { columns: 'province, overdue DESC, due_by, filing_id', where: 'queued_at IS NOT NULL' },
      },
    },
  ],
  public_registry: [
    {
      table: 'public_registry',
      columns: `registration_number TEXT PRIMARY KEY,
        app_name            TEXT NOT NULL,
        service_type        TEXT NOT NULL,
        operator_name       TEXT NOT NULL,
        province            TEXT NOT NULL,
        published_at        TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
        cancelled_on        TEXT,
        changed_at          TEXT`,
      indexes: { by_app_name: 'app_name', by_operator_name: 'operator_name' },
    },
    {
      table: 'public_registry_filings',
      columns: `filing_id       TEXT    PRIMARY KEY,
        kind            TEXT    NOT NULL,
        subject_number  TEXT    NOT NULL,
        service_number  TEXT,
        alters_subject  INTEGER NOT NULL CHECK (alters_subject IN (0, 1))`,
      indexes: {},
    },
  ],
  sla_dashboard: [
    {
      table: 'sla_filings',
      columns: `filing_id        TEXT    PRIMARY KEY,
        platform_id      TEXT    NOT NULL,
        province         TEXT    NOT NULL,
        status           TEXT    NOT NULL,
        stage            TEXT    NOT NULL,
        stage_entered_at TEXT    NOT NULL,
        due_by           TEXT,
        overdue          INTEGER NOT NULL CHECK (overdue IN (0, 1)),
        visits           INTEGER NOT NULL,
        kind                  TEXT NOT NULL,
        target_subject_number TEXT,
        target_service_number TEXT`,
      indexes: { by_province_stage: 'province, stage', by_kind_stage: 'kind, stage' },
    },
    {
      table: 'sla_stage_visits',
      columns: `filing_id      TEXT    NOT NULL,
        visit          INTEGER NOT NULL,
        province       TEXT    NOT NULL,
        stage          TEXT    NOT NULL,
        entered_at     TEXT    NOT NULL,
        left_at        TEXT    NOT NULL,
        working_days   INTEGER NOT NULL,
        calendar_days  REAL    NOT NULL,
        was_overdue    INTEGER NOT NULL CHECK (was_overdue IN (0, 1)),
        kind           TEXT    NOT NULL,
        PRIMARY KEY (filing_id, visit)`,
      indexes: {
        by_stage_working_days: 'stage, working_days',
        by_province_stage: 'province, stage, working_days',
        by_kind_stage: 'kind, stage, working_days',
      },
    },
  ],
  registry: [
    {
      table: 'registry_subjects',
      columns: `subject_number  TEXT PRIMARY KEY,
        province        TEXT NOT NULL,
        operator_name   TEXT,
        operator_nature TEXT,
        status          TEXT NOT NULL,
        source          TEXT NOT NULL CHECK (source IN ('registry', 'filing')),
        stream_id       TEXT,
        changed_on      TEXT,
        cancelled_on    TEXT,
        shell_flagged_on          TEXT,
        shell_last_service_number TEXT`,
      indexes: {
        by_operator_name: 'operator_name',
        by_stream: 'stream_id',
        shells: {
          columns: 'province, subject_number',
          where: "shell_flagged_on IS NOT NULL AND status = 'active'",
        },
      },
    },
    {
      table: 'registry_services',
      columns: `service_number          TEXT    PRIMARY KEY,
        subject_number          TEXT    NOT NULL,
        sequence                INTEGER NOT NULL,
        service_type            TEXT    NOT NULL,
        name                    TEXT    NOT NULL,
        operator_name           TEXT    NOT NULL,
        operator_nature         TEXT,
        identifiers             TEXT    NOT NULL,
        pre_approval_categories TEXT    NOT NULL,
        approved_on             TEXT    NOT NULL,
        status                  TEXT    NOT NULL,
        filing_id               TEXT,
        source                  TEXT    NOT NULL CHECK (source IN ('registry', 'filing')),
        version                 INTEGER NOT NULL,
        changed_on              TEXT,
        accesses                TEXT,
        access_withdrawn_on     TEXT,
        cancelled_on            TEXT`,
      indexes: {
        by_subject: 'subject_number, sequence, service_number',
        by_name: 'name',
        by_operator_name: 'operator_name',
      },
    },
    {
      table: 'registry_service_identifiers',
      columns: `kind           TEXT NOT NULL,
        value          TEXT NOT NULL,
        service_number TEXT NOT NULL,
        PRIMARY KEY (kind, value, service_number)`,
      indexes: { by_service: 'service_number' },
    },
    {
      table: 'registry_service_versions',
      columns: `service_number          TEXT    NOT NULL,
        version                 INTEGER NOT NULL,
        name                    TEXT    NOT NULL,
        identifiers             TEXT    NOT NULL,
        pre_approval_categories TEXT    NOT NULL,
        operator_name           TEXT    NOT NULL,
        filing_id               TEXT,
        approved_on             TEXT,
        changed_on              TEXT,
        PRIMARY KEY (service_number, version)`,
      indexes: {},
    },
    {
      table: 'registry_filings',
      columns: `filing_id               TEXT PRIMARY KEY,
        province                TEXT NOT NULL,
        service_type            TEXT NOT NULL,
        operator_nature         TEXT,
        identifiers             TEXT NOT NULL,
        pre_approval_categories TEXT NOT NULL,
        kind                    TEXT`,
      indexes: {},
    },
  ],
};

/** The live table names of a projection. */
export function liveTables(name: ProjectionName): string[] {
  return TABLES[name].map((definition) => definition.table);
}

/** Where a projection's rows go: the live tables, or a rebuild's shadow copies of them. */
export interface TableSet {
  readonly projection: ProjectionName;
  /** Live table name → the table actually written. */
  readonly tables: Readonly<Record<string, string>>;
  /** The projection_checkpoints key of this table set. */
  readonly checkpointKey: string;
  /** Suffix of the shadow tables, absent for the live ones. */
  readonly shadowTag?: string;
}

export function liveTableSet(name: ProjectionName): TableSet {
  const tables = Object.fromEntries(liveTables(name).map((table) => [table, table]));
  return { projection: name, tables, checkpointKey: name };
}

/** Shadow tables `<table>__rebuild_<tag>`; index names carry the tag too, so they survive a swap. */
export function shadowTableSet(name: ProjectionName, tag: string): TableSet {
  const tables = Object.fromEntries(liveTables(name).map((table) => [table, shadowName(table, tag)]));
  return { projection: name, tables, checkpointKey: shadowName(name, tag), shadowTag: tag };
}

/** A LIKE pattern (escape `\\`) matching every shadow name of `table` (or checkpoint key of a projection). */
export function shadowNamesLike(table: string): string {
  return `${shadowName(table, '').replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function shadowName(table: string, tag: string): string {
  return `${table}__rebuild_${tag}`;
}

export function tableOf(set: TableSet, table: string): string {
  const actual = set.tables[table];
  if (actual === undefined) throw new Error(`projection ${set.projection} has no table ${table}`);
  return actual;
}

function columnsIn(dialect: SqlDialect, columns: string): string {
  if (dialect === 'sqlite') return columns;
  return columns.replace(/\bTEXT\b/g, 'TEXT COLLATE "C"').replace(/\bREAL\b/g, 'DOUBLE PRECISION');
}

function tableSuffix(dialect: SqlDialect): string {
  return dialect === 'sqlite' ? ' STRICT' : '';
}

/** CREATE statements for every table (and index) of the set. */
export function createTablesSql(set: TableSet, dialect: SqlDialect): string {
  return TABLES[set.projection]
    .map((definition) => {
      const table = tableOf(set, definition.table);
      const suffix = set.shadowTag === undefined ? '' : `__${set.shadowTag}`;
      const indexes = Object.entries(definition.indexes).map(([indexName, index]) => {
        const { columns, where } = typeof index === 'string' ? { columns: index, where: undefined } : index;
        const partial = where === undefined ? '' : ` WHERE ${where}`;
        return `CREATE INDEX ${definition.table}_${indexName}${suffix} ON ${table} (${columns})${partial};`;
      });
      const create = `CREATE TABLE ${table} (${columnsIn(dialect, definition.columns)})${tableSuffix(dialect)};`;
      return [create, ...indexes].join('\n');
    })
    .join('\n');
}

/** The checkpoints of every projection (and rebuild), and who is rebuilding what. */
export function checkpointsTableSql(dialect: SqlDialect): string {
  const position = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const columns = (sql: string) => columnsIn(dialect, sql);
  return `CREATE TABLE IF NOT EXISTS projection_checkpoints (${columns(`
  name     TEXT    PRIMARY KEY,`)}
  position ${position} NOT NULL CHECK (position >= 0)
)${tableSuffix(dialect)};
CREATE TABLE IF NOT EXISTS projection_rebuilds (${columns(`
  name       TEXT    PRIMARY KEY,
  tag        TEXT    NOT NULL,
  pid        INTEGER NOT NULL,
  started_at TEXT    NOT NULL`)}
)${tableSuffix(dialect)};`;
}
