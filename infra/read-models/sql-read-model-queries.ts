import type {
  BureauQueueItem,
  BureauQueueQuery,
  FilingSummaryRow,
  ListFilingsQuery,
  Page,
  PublicLookup,
  PublicRegistryRow,
  ReadModelQueries,
  RegistryIdentifierKey,
  RegistryIdentifierMatch,
  RegistryLookup,
  RegistryServiceRow,
  RegistryServiceVersionRow,
  RegistrySubjectRow,
  RegistryVerificationMatch,
  ShellSubjectsQuery,
  SlaDashboard,
  SlaDashboardQuery,
} from '../../events/ports/read-models.port';
import type { FilingStatusView } from '../../events/filing/filing-view';
import {
  bureauQueue,
  filingView,
  findPublic,
  getFiling,
  listFilings,
  searchFilings,
} from './read-model.queries';
import type { ReadSql } from './read-sql';
import {
  findRegistryServices,
  registryServiceVersions,
  registrySubject,
  servicesByIdentifiers,
  shellSubjects,
  verificationMatches,
} from './registry.queries';
import { readSlaDashboard } from './sla-dashboard.query';

/**
 * Every read-model query, written once over `ReadSql`: the SQLite and PostgreSQL stores extend it and
 * only say how their backend runs a statement.
 */
export class SqlReadModelQueries implements ReadModelQueries {
  constructor(private readonly sql: ReadSql) {}

  async getFiling(filingId: string): Promise<FilingSummaryRow | undefined> {
    return getFiling(this.sql, filingId);
  }

  async filingView(filingId: string): Promise<FilingStatusView | undefined> {
    return filingView(this.sql, filingId);
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

  async verificationMatches(keys: readonly RegistryIdentifierKey[]): Promise<RegistryVerificationMatch[]> {
    return verificationMatches(this.sql, keys);
  }

  async registryServiceVersions(serviceNumber: string): Promise<RegistryServiceVersionRow[]> {
    return registryServiceVersions(this.sql, serviceNumber);
  }

  async shellSubjects(query: ShellSubjectsQuery): Promise<Page<RegistrySubjectRow>> {
    return shellSubjects(this.sql, query);
  }
}
