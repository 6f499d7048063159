import type { ComplianceRecorder } from '../../../events/compliance/compliance-envelope';
import type { ComplianceParty } from '../../../events/compliance/compliance-party';
import { inventoryStreamId } from '../../../events/compliance/compliance-streams';
import {
  countsOf,
  decideReportInventory,
  foldInventory,
  type InventoryLine,
  type InventoryReport,
  inventoryDigest,
  inventoryRecords,
  requestOfLine,
} from '../../../events/compliance/inventory/inventory';
import type {
  ComplianceInventoryStore,
  InventoryReporter,
} from '../../../events/ports/compliance-store.port';
import type { EventLog } from '../../../events/ports/event-log.port';
import { verify } from '../../../events/registry/verification';
import { handleComplianceCommand } from '../compliance-commands';
import { type RegistryIdentifierQueries, servicesCarrying } from './registry-check';

export interface InventoryReporterDeps {
  eventLog: EventLog;
  registry: RegistryIdentifierQueries;
  store: ComplianceInventoryStore;
  clock?: () => Date;
}

/**
 * A party reports what it serves: each line is checked against the registry now, InventoryReported
 * is appended to the party's stream (nothing new when that date's report had the same lines), and
 * the lines are stored for the sweep and inspections (again on a retry, so a crash in between heals).
 */
export function createInventoryReporter(deps: InventoryReporterDeps): InventoryReporter {
  const clock = deps.clock ?? (() => new Date());
  return {
    async reportInventory(request: {
      party: ComplianceParty;
      reportedOn: string;
      lines: readonly InventoryLine[];
      recordedBy: ComplianceRecorder;
      causationId: string;
    }): Promise<{ report: InventoryReport; created: boolean }> {
      const checkedAt = clock().toISOString();
      const requests = request.lines.map(requestOfLine);
      const carrying = await servicesCarrying(deps.registry, requests);
      const answers = requests.map((question, index) => verify(question, carrying[index] ?? [], checkedAt));
      const records = inventoryRecords(request.lines, answers);
      const report: InventoryReport = {
        party: request.party,
        reportedOn: request.reportedOn,
        lines: records.length,
        digest: inventoryDigest(request.lines),
        counts: countsOf(records),
      };
      const result = await handleComplianceCommand(deps.eventLog, {
        streamId: inventoryStreamId(request.party),
        fold: foldInventory,
        decide: (state) => decideReportInventory(report, state),
        context: { occurredAt: checkedAt, recordedBy: request.recordedBy, causationId: request.causationId },
      });
      const created = result.appended.length > 0;
      // A report with the same lines keeps the statuses stored the first time.
      const stored = created ? undefined : await deps.store.report(request.party, request.reportedOn);
      if (stored?.digest === report.digest) return { report: stored, created };
      await deps.store.saveReport(report, records);
      return { report, created };
    },
  };
}
