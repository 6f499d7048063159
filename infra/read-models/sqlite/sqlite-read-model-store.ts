import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type BureauQueueItem,
  type BureauQueueQuery,
  type FilingSummaryRow,
  type ListFilingsQuery,
  type Page,
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionRebuild,
  type ProjectionTarget,
  type PublicLookup,
  type PublicRegistryRow,
  type ReadModelProjections,
  type ReadModelStore,
  type RegistryLookup,
  type RegistryServiceRow,
  type RegistryIdentifierKey,
  type RegistryIdentifierMatch,
  type RegistryServiceVersionRow,
  type RegistrySubjectRow,
  type ShellSubjectsQuery,
  type SlaDashboard,
  type SlaDashboardQuery,
} from '../../../events/ports/read-models.port';
import { ProjectionWriter, asProjectionTarget } from './projection-writer';
import { bureauQueue, findPublic, getFiling, listFilings, searchFilings } from '../read-model.queries';
import {
  findRegistryServices,
  registryServiceVersions,
  registrySubject,
  servicesByIdentifiers,
  shellSubjects,
} from '../registry.queries';
import { configureReadModelConnection, migrateReadModelSchema } from './read-model.schema';
import { liveTableSet } from '../read-model-tables';
import type { ReadSql } from '../read-sql';
import { ShadowTables } from './shadow-tables';
import { readSlaDashboard } from '../sla-dashboard.query';
import { SqliteProjectionRebuild } from './sqlite-projection-rebuild';

export const READ_MODELS_FILE = 'read-models.sqlite';

function perProjection<T>(make: (name: ProjectionName) => T): Record<ProjectionName, T> {
  return Object.fromEntries(PROJECTION_NAMES.map((name) => [name, make(name)])) as Record<ProjectionName, T>;
}

function readSqlOf(db: Database.Database): ReadSql {
  return {
    dialect: 'sqlite',
    all: async <R>(sql: string, params?: Readonly<Record<string, string | number>>) => {
      const statement = db.prepare<unknown[], R>(sql);
      return params === undefined ? statement.all() : statement.all(params);
    },
  };
}

/**
 * The read database, `<dataDir>/read-models.sqlite` (WAL). Rows and the projection's checkpoint are
 * written in one transaction, so an event delivered twice (at-least-once) is never applied twice.
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly sql: ReadSql;
  private readonly writers: Record<ProjectionName, ProjectionWriter>;
  private readonly targets: Record<ProjectionName, ProjectionTarget>;

  constructor(
    readonly file: string,
    private readonly projections: ReadModelProjections,
  ) {
    this.description = file;
    this.db = new Database(file);
    try {
      configureReadModelConnection(this.db);
      migrateReadModelSchema(this.db, file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.sql = readSqlOf(this.db);
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

  async getFiling(filingId: string): Promise<FilingSummaryRow | undefined> {
    return getFiling(this.sql, filingId);
  }

  async listFilings(query: ListFilingsQuery): Promise<Page<FilingSummaryRow>> {
    return listFilings(this.sql, query);
  }

  async searchFilings(q: string, limit: number): Promise<FilingSummaryRow[]> {
    return searchFilings(this.sql, q, limit);
  }

  async bureauQueue(query: BureauQueueQuery): Promise<Page<BureauQueueItem>> {
    return bureauQueue(this.sql, query);
  }

  async slaDashboard(query: SlaDashboardQuery): Promise<SlaDashboard> {
    return readSlaDashboard(this.sql, query);
  }

  async findPublic(lookup: PublicLookup): Promise<PublicRegistryRow[]> {
    return findPublic(this.sql, lookup);
  }

  async registrySubject(subjectNumber: string): Promise<RegistrySubjectRow | undefined> {
    return registrySubject(this.sql, subjectNumber);
  }

  async findRegistryServices(lookup: RegistryLookup): Promise<Page<RegistryServiceRow>> {
    return findRegistryServices(this.sql, lookup);
  }

  async servicesByIdentifiers(keys: readonly RegistryIdentifierKey[]): Promise<RegistryIdentifierMatch[]> {
    return servicesByIdentifiers(this.sql, keys);
  }

  async registryServiceVersions(serviceNumber: string): Promise<RegistryServiceVersionRow[]> {
    return registryServiceVersions(this.sql, serviceNumber);
  }

  async shellSubjects(query: ShellSubjectsQuery): Promise<Page<RegistrySubjectRow>> {
    return shellSubjects(this.sql, query);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
