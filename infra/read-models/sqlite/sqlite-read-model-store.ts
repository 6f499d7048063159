import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionRebuild,
  type ProjectionTarget,
  type ReadModelProjections,
  type ReadModelStore,
} from '../../../events/ports/read-models.port';
import { ProjectionWriter, asProjectionTarget } from './projection-writer';
import { configureReadModelConnection, migrateReadModelSchema } from './read-model.schema';
import { liveTableSet } from '../read-model-tables';
import { SqlReadModelQueries } from '../sql-read-model-queries';
import type { ReadSql } from '../read-sql';
import { ShadowTables } from './shadow-tables';
import { SqliteProjectionRebuild } from './sqlite-projection-rebuild';

export const READ_MODELS_FILE = 'read-models.sqlite';

function perProjection<T>(make: (name: ProjectionName) => T): Record<ProjectionName, T> {
  return Object.fromEntries(PROJECTION_NAMES.map((name) => [name, make(name)])) as Record<ProjectionName, T>;
}

/** Prepared statements kept per SQL text: preparing costs more than a point lookup runs. */
const STATEMENT_CACHE_SIZE = 256;

function readSqlOf(db: Database.Database): ReadSql {
  const statements = new Map<string, Database.Statement<unknown[], unknown>>();
  const prepared = (sql: string): Database.Statement<unknown[], unknown> => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      // Queries come from a fixed set of shapes; the bound only guards against one that is not.
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = db.prepare<unknown[], unknown>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    dialect: 'sqlite',
    all: async <R>(sql: string, params?: Readonly<Record<string, string | number>>) => {
      const statement = prepared(sql);
      return (params === undefined ? statement.all() : statement.all(params)) as R[];
    },
  };
}

/** `file` opened, configured and migrated; closed again if that fails. */
function openReadModelDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    configureReadModelConnection(db);
    migrateReadModelSchema(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The read database, `<dataDir>/read-models.sqlite` (WAL). Rows and the projection's checkpoint are
 * written in one transaction, so an event delivered twice (at-least-once) is never applied twice.
 */
export class SqliteReadModelStore extends SqlReadModelQueries implements ReadModelStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly writers: Record<ProjectionName, ProjectionWriter>;
  private readonly targets: Record<ProjectionName, ProjectionTarget>;

  constructor(
    readonly file: string,
    private readonly projections: ReadModelProjections,
  ) {
    const db = openReadModelDatabase(file);
    super(readSqlOf(db));
    this.description = file;
    this.db = db;
    this.writers = perProjection((name) => new ProjectionWriter(this.db, liveTableSet(name), projections));
    this.targets = perProjection((name) => asProjectionTarget(this.writers[name]));
  }

  /** Opens (creating if needed) `<dataDir>/read-models.sqlite`. */
  static open(dataDir: string, projections: ReadModelProjections): SqliteReadModelStore {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteReadModelStore(join(dataDir, READ_MODELS_FILE), projections);
  }

  live(name: ProjectionName): ProjectionTarget {
    return this.targets[name];
  }

  async lowestCheckpoint(): Promise<number> {
    return Math.min(...PROJECTION_NAMES.map((name) => this.writers[name].checkpoint()));
  }

  async reset(name: ProjectionName): Promise<void> {
    this.db
      .transaction(() => {
        for (const table of Object.values(liveTableSet(name).tables))
          this.db.prepare(`DELETE FROM ${table}`).run();
        this.db.prepare('DELETE FROM projection_checkpoints WHERE name = ?').run(name);
      })
      .immediate();
  }

  async openRebuild(name: ProjectionName): Promise<ProjectionRebuild> {
    const shadow = ShadowTables.create(this.db, name, this.projections);
    return new SqliteProjectionRebuild(this.db, shadow, this.writers[name]);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
