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

/**
 * The registry's subjects, services (with their identifier rows and versions) and filing facts, a
 * batch at a time in memory (see BatchRows). Lookups by stream and by subject read what is stored
 * once per batch and add the batch's own rows, as the SQLite applier does.
 */
export function registryApplier(set: TableSet, project: ReadModelProjections['registry']): PgApplier {
  const filings = new BatchRows<ReturnType<typeof toRegistryFilingRow>, RegistryFilingRecord>(
    tableOf(set, 'registry_filings'),
    'filing_id',
    toRegistryFilingRow,
  );
  const subjects = new BatchRows<ReturnType<typeof toRegistrySubjectRow>, RegistrySubjectRecord>(
    tableOf(set, 'registry_subjects'),
    'subject_number',
    toRegistrySubjectRow,
  );
  const services = new BatchRows<ReturnType<typeof toRegistryServiceRow>, RegistryServiceRecord>(
    tableOf(set, 'registry_services'),
    'service_number',
    toRegistryServiceRow,
  );
  const versions = new Map<string, RegistryServiceVersionRow>();
  /** Stream id → the stored subject holding it (undefined: none). */
  const storedSubjectOfStream = new Map<string, string | undefined>();
  const storedServicesOf = new Map<string, readonly string[]>();
  const loadSubjectsOfStreams = async (client: Parameters<PgApplier['flush']>[0], streamIds: string[]) => {
    const wanted = streamIds.filter((streamId) => !storedSubjectOfStream.has(streamId));
    if (wanted.length === 0) return;
    for (const streamId of wanted) storedSubjectOfStream.set(streamId, undefined);
    await subjects.loadWhere(client, 'stream_id = ANY($1)', [wanted]);
    for (const subject of subjects.known()) {
      if (subject.streamId !== undefined && wanted.includes(subject.streamId))
        storedSubjectOfStream.set(subject.streamId, subject.subjectNumber);
    }
  };

  const reader: RegistryRowReader = {
    filing: (filingId) => filings.get(filingId),
    subject: (subjectNumber) => subjects.get(subjectNumber),
    service: (serviceNumber) => services.get(serviceNumber),
    subjectOfStream: (streamId) => {
      const inBatch = subjects.known().find((row) => row.streamId === streamId);
      if (inBatch !== undefined) return inBatch;
      if (!storedSubjectOfStream.has(streamId))
        throw new RowMiss((client) => loadSubjectsOfStreams(client, [streamId]));
      const stored = storedSubjectOfStream.get(streamId);
      return stored === undefined ? undefined : subjects.get(stored);
    },
    servicesOf: (subjectNumber) => {
      const stored = storedServicesOf.get(subjectNumber);
      if (stored === undefined) {
        throw new RowMiss(async (client) => {
          const numbers = await services.loadWhere(client, 'subject_number = $1', [subjectNumber]);
          storedServicesOf.set(subjectNumber, numbers);
        });
      }
      const numbers = new Set(stored);
      for (const row of services.known())
        if (row.subjectNumber === subjectNumber) numbers.add(row.serviceNumber);
      return [...numbers].flatMap((number) => services.get(number) ?? []);
    },
  };

  return {
    prefetch: async (client, events) => {
      await filings.load(client, filingIdsOf(events));
      await loadSubjectsOfStreams(client, [...new Set(events.map((event) => event.streamId))]);
    },
    apply: (event) => {
      const update = project(reader, event);
      if (update?.filing) filings.set(update.filing.filingId, update.filing);
      if (update?.subject) subjects.set(update.subject.subjectNumber, update.subject);
      if (update?.service) services.set(update.service.serviceNumber, update.service);
      for (const service of update?.services ?? []) services.set(service.serviceNumber, service);
      if (update?.version)
        versions.set(`${update.version.serviceNumber}\u0000${update.version.version}`, update.version);
    },
    flush: async (client) => {
      await upsertRecords(
        client,
        filings.table,
        ['filing_id'],
        filings.changed().map(toRegistryFilingRecord),
      );
      await upsertRecords(
        client,
        subjects.table,
        ['subject_number'],
        subjects.changed().map(toRegistrySubjectRecord),
      );
      const changedServices = services.changed();
      await upsertRecords(
        client,
        services.table,
        ['service_number'],
        changedServices.map(toRegistryServiceRecord),
      );
      const identifiers = tableOf(set, 'registry_service_identifiers');
      if (changedServices.length > 0) {
        await client.query(`DELETE FROM ${identifiers} WHERE service_number = ANY($1)`, [
          changedServices.map((row) => row.serviceNumber),
        ]);
      }
      await upsertRecords(
        client,
        identifiers,
        ['kind', 'value', 'service_number'],
        changedServices.flatMap(identifierRecordsOf),
      );
      await upsertRecords(
        client,
        tableOf(set, 'registry_service_versions'),
        ['service_number', 'version'],
        [...versions.values()].map(toRegistryServiceVersionRecord),
      );
    },
  };
}
