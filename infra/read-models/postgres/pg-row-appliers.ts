import type { PoolClient } from 'pg';
import { assertNever } from '../../../events/assert-never';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import type {
  PublicRegistryRowReader,
  ReadModelProjections,
  SlaStageVisit,
} from '../../../events/ports/read-models.port';
import { type TableSet, tableOf } from '../read-model-tables';
import {
  type BureauQueueRecord,
  type FilingSummaryRecord,
  type PublicRegistryFilingRecord,
  type PublicRegistryRecord,
  type SlaFilingRecord,
  toBureauQueueRecord,
  toBureauQueueRow,
  toFilingSummaryRecord,
  toFilingSummaryRow,
  toPublicRegistryFilingRecord,
  toPublicRegistryFilingRow,
  toPublicRegistryRecord,
  toPublicRegistryRow,
  toSlaFilingRecord,
  toSlaFilingRow,
  toSlaStageVisitRecord,
} from '../read-model.records';
import { BatchRows, type PgApplier, RowMiss, filingIdsOf, upsertRecords } from './pg-batch-rows';
import { registryApplier } from './pg-registry-applier';
import { followedFilingId } from '../followed-filing';

/** The filings the per-filing projections will read rows of for `events`. */
function followedFilingIds(events: readonly RecordedEvent[]): string[] {
  return events.flatMap((event) => followedFilingId(event) ?? []);
}

/** Applies `events` to a fresh batch of `set`'s rows on `client` (inside the batch's transaction). */
export async function applyEvents(
  client: PoolClient,
  set: TableSet,
  projections: ReadModelProjections,
  events: readonly RecordedEvent[],
): Promise<void> {
  const applier = applierFor(set, projections);
  await applier.prefetch(client, events);
  for (const event of events) {
    for (;;) {
      try {
        applier.apply(event);
        break;
      } catch (error) {
        if (!(error instanceof RowMiss)) throw error;
        await error.load(client);
      }
    }
  }
  await applier.flush(client);
}

/** A projection keeping one row per filing, given the filing's current row. */
function perFilingApplier<Row, R extends object>(
  rows: BatchRows<Row, R>,
  project: (current: Row | undefined, event: RecordedEvent) => Row | undefined,
  toRecord: (row: Row) => R,
): PgApplier {
  return {
    prefetch: (client, events) => rows.load(client, followedFilingIds(events)),
    apply: (event) => {
      const filingId = followedFilingId(event);
      if (filingId === undefined) return;
      const next = project(rows.get(filingId), event);
      if (next) rows.set(filingId, next);
    },
    flush: (client) => upsertRecords(client, rows.table, ['filing_id'], rows.changedRecords(toRecord)),
  };
}

function publicRegistryApplier(set: TableSet, project: ReadModelProjections['publicRegistry']): PgApplier {
  const filings = new BatchRows<ReturnType<typeof toPublicRegistryFilingRow>, PublicRegistryFilingRecord>(
    tableOf(set, 'public_registry_filings'),
    'filing_id',
    toPublicRegistryFilingRow,
  );
  const registrations = new BatchRows<ReturnType<typeof toPublicRegistryRow>, PublicRegistryRecord>(
    tableOf(set, 'public_registry'),
    'registration_number',
    toPublicRegistryRow,
  );
  // A subject's service numbers are `<subject number>-<n><suffix>`: the key range after its `-`.
  const storedOfSubject = new Map<string, readonly string[]>();
  const rows: PublicRegistryRowReader = {
    filing: (filingId) => filings.get(filingId),
    registration: (registrationNumber) => registrations.get(registrationNumber),
    registrationsOf: (subjectNumber) => {
      const [from, to] = [`${subjectNumber}-`, `${subjectNumber}.`];
      const stored = storedOfSubject.get(subjectNumber);
      if (stored === undefined) {
        throw new RowMiss(async (client) => {
          const where = 'registration_number > $1 AND registration_number < $2';
          storedOfSubject.set(subjectNumber, await registrations.loadWhere(client, where, [from, to]));
        });
      }
      const inBatch = registrations.known().map((row) => row.registrationNumber);
      const numbers = new Set([...stored, ...inBatch.filter((number) => number > from && number < to)]);
      return [...numbers].sort().flatMap((number) => registrations.get(number) ?? []);
    },
  };
  return {
    prefetch: (client, events) => filings.load(client, filingIdsOf(events)),
    apply: (event) => {
      const update = project(rows, event);
      if (update?.filing) filings.set(update.filing.filingId, update.filing);
      for (const row of update?.registrations ?? []) registrations.set(row.registrationNumber, row);
    },
    flush: async (client) => {
      await upsertRecords(
        client,
        filings.table,
        ['filing_id'],
        filings.changedRecords(toPublicRegistryFilingRecord),
      );
      await upsertRecords(
        client,
        registrations.table,
        ['registration_number'],
        registrations.changedRecords(toPublicRegistryRecord),
      );
    },
  };
}

function slaDashboardApplier(set: TableSet, project: ReadModelProjections['sla']): PgApplier {
  const filings = new BatchRows<ReturnType<typeof toSlaFilingRow>, SlaFilingRecord>(
    tableOf(set, 'sla_filings'),
    'filing_id',
    toSlaFilingRow,
  );
  const visits = new Map<string, SlaStageVisit>();
  return {
    prefetch: (client, events) => filings.load(client, followedFilingIds(events)),
    apply: (event) => {
      const filingId = followedFilingId(event);
      if (filingId === undefined) return;
      const update = project(filings.get(filingId), event);
      if (!update) return;
      filings.set(filingId, update.filing);
      const visit = update.finishedVisit;
      if (visit) visits.set(`${visit.filingId}\u0000${visit.visit}`, visit);
    },
    flush: async (client) => {
      await upsertRecords(client, filings.table, ['filing_id'], filings.changedRecords(toSlaFilingRecord));
      await upsertRecords(
        client,
        tableOf(set, 'sla_stage_visits'),
        ['filing_id', 'visit'],
        [...visits.values()].map(toSlaStageVisitRecord),
      );
    },
  };
}

function applierFor(set: TableSet, projections: ReadModelProjections): PgApplier {
  switch (set.projection) {
    case 'filing_summary':
      return perFilingApplier(
        new BatchRows<ReturnType<typeof toFilingSummaryRow>, FilingSummaryRecord>(
          tableOf(set, 'filing_summary'),
          'filing_id',
          toFilingSummaryRow,
        ),
        projections.filingSummary,
        toFilingSummaryRecord,
      );
    case 'bureau_queue':
      return perFilingApplier(
        new BatchRows<ReturnType<typeof toBureauQueueRow>, BureauQueueRecord>(
          tableOf(set, 'bureau_queue'),
          'filing_id',
          toBureauQueueRow,
        ),
        projections.bureauQueue,
        toBureauQueueRecord,
      );
    case 'public_registry':
      return publicRegistryApplier(set, projections.publicRegistry);
    case 'sla_dashboard':
      return slaDashboardApplier(set, projections.sla);
    case 'registry':
      return registryApplier(set, projections.registry);
    default:
      return assertNever(set.projection, 'projection');
  }
}
