import type { PoolClient } from 'pg';
import type {
  ReadModelProjections,
  RegistryRowReader,
  RegistryServiceVersionRow,
} from '../../../events/ports/read-models.port';
import { type TableSet, tableOf } from '../read-model-tables';
import {
  identifierRecordsOf,
  type RegistryFilingRecord,
  type RegistryServiceRecord,
  type RegistrySubjectRecord,
  toRegistryFilingRecord,
  toRegistryFilingRow,
  toRegistryServiceRecord,
  toRegistryServiceRow,
  toRegistryServiceVersionRecord,
  toRegistrySubjectRecord,
  toRegistrySubjectRow,
} from '../registry.records';
import { BatchRows, type PgApplier, RowMiss, filingIdsOf, upsertRecords } from './pg-batch-rows';

type RegistryFilingRows = BatchRows<ReturnType<typeof toRegistryFilingRow>, RegistryFilingRecord>;
type RegistrySubjectRows = BatchRows<ReturnType<typeof toRegistrySubjectRow>, RegistrySubjectRecord>;
type RegistryServiceRows = BatchRows<ReturnType<typeof toRegistryServiceRow>, RegistryServiceRecord>;

/**
 * One batch of the registry's subjects, services (with their identifier rows and versions) and filing
 * facts, in memory (see BatchRows). Lookups by stream and by subject read what is stored once per
 * batch and add the batch's own rows, as the SQLite applier does.
 */
class RegistryBatch implements RegistryRowReader {
  readonly filings: RegistryFilingRows;
  readonly subjects: RegistrySubjectRows;
  readonly services: RegistryServiceRows;
  readonly versions = new Map<string, RegistryServiceVersionRow>();
  /** Stream id → the stored subject holding it (undefined: none). */
  private readonly storedSubjectOfStream = new Map<string, string | undefined>();
  private readonly storedServicesOf = new Map<string, readonly string[]>();

  constructor(private readonly set: TableSet) {
    this.filings = new BatchRows(tableOf(set, 'registry_filings'), 'filing_id', toRegistryFilingRow);
    this.subjects = new BatchRows(tableOf(set, 'registry_subjects'), 'subject_number', toRegistrySubjectRow);
    this.services = new BatchRows(tableOf(set, 'registry_services'), 'service_number', toRegistryServiceRow);
  }

  filing(filingId: string) {
    return this.filings.get(filingId);
  }

  subject(subjectNumber: string) {
    return this.subjects.get(subjectNumber);
  }

  service(serviceNumber: string) {
    return this.services.get(serviceNumber);
  }

  subjectOfStream(streamId: string) {
    const inBatch = this.subjects.known().find((row) => row.streamId === streamId);
    if (inBatch !== undefined) return inBatch;
    if (!this.storedSubjectOfStream.has(streamId))
      throw new RowMiss((client) => this.loadSubjectsOfStreams(client, [streamId]));
    const stored = this.storedSubjectOfStream.get(streamId);
    return stored === undefined ? undefined : this.subjects.get(stored);
  }

  servicesOf(subjectNumber: string) {
    const stored = this.storedServicesOf.get(subjectNumber);
    if (stored === undefined) {
      throw new RowMiss(async (client) => {
        const numbers = await this.services.loadWhere(client, 'subject_number = $1', [subjectNumber]);
        this.storedServicesOf.set(subjectNumber, numbers);
      });
    }
    const numbers = new Set(stored);
    for (const row of this.services.known())
      if (row.subjectNumber === subjectNumber) numbers.add(row.serviceNumber);
    return [...numbers].flatMap((number) => this.services.get(number) ?? []);
  }

  /** The stored subjects of `streamIds`, in one query. */
  async loadSubjectsOfStreams(client: PoolClient, streamIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(streamIds)].filter((streamId) => !this.storedSubjectOfStream.has(streamId));
    if (wanted.length === 0) return;
    for (const streamId of wanted) this.storedSubjectOfStream.set(streamId, undefined);
    const stored = await client.query<{ subject_number: string; stream_id: string }>(
      `SELECT subject_number, stream_id FROM ${this.subjects.table} WHERE stream_id = ANY($1)`,
      [wanted],
    );
    for (const row of stored.rows) this.storedSubjectOfStream.set(row.stream_id, row.subject_number);
    await this.subjects.load(
      client,
      stored.rows.map((row) => row.subject_number),
    );
  }

  async flush(client: PoolClient): Promise<void> {
    const { filings, subjects, services } = this;
    await upsertRecords(client, filings.table, ['filing_id'], filings.changedRecords(toRegistryFilingRecord));
    await upsertRecords(
      client,
      subjects.table,
      ['subject_number'],
      subjects.changedRecords(toRegistrySubjectRecord),
    );
    const changed = services.changed(toRegistryServiceRecord);
    await upsertRecords(
      client,
      services.table,
      ['service_number'],
      changed.map((service) => service.record),
    );
    // A service's identifier rows follow its identifiers column: rewritten only when that changed.
    const reidentified = changed
      .filter((service) => service.before?.identifiers !== service.record.identifiers)
      .map((service) => service.row);
    const identifiers = tableOf(this.set, 'registry_service_identifiers');
    if (reidentified.length > 0) {
      await client.query(`DELETE FROM ${identifiers} WHERE service_number = ANY($1)`, [
        reidentified.map((row) => row.serviceNumber),
      ]);
    }
    const identifierKey = ['kind', 'value', 'service_number'];
    await upsertRecords(client, identifiers, identifierKey, reidentified.flatMap(identifierRecordsOf));
    await upsertRecords(
      client,
      tableOf(this.set, 'registry_service_versions'),
      ['service_number', 'version'],
      [...this.versions.values()].map(toRegistryServiceVersionRecord),
    );
  }
}

/** The registry projection's batch: its filings' rows and its streams' subjects loaded up front. */
export function registryApplier(set: TableSet, project: ReadModelProjections['registry']): PgApplier {
  const batch = new RegistryBatch(set);
  return {
    prefetch: async (client, events) => {
      await batch.filings.load(client, filingIdsOf(events));
      await batch.loadSubjectsOfStreams(
        client,
        events.map((event) => event.streamId),
      );
    },
    apply: (event) => {
      const update = project(batch, event);
      if (update?.filing) batch.filings.set(update.filing.filingId, update.filing);
      if (update?.subject) batch.subjects.set(update.subject.subjectNumber, update.subject);
      if (update?.service) batch.services.set(update.service.serviceNumber, update.service);
      for (const service of update?.services ?? []) batch.services.set(service.serviceNumber, service);
      const version = update?.version;
      if (version) batch.versions.set(`${version.serviceNumber}\u0000${version.version}`, version);
    },
    flush: (client) => batch.flush(client),
  };
}
