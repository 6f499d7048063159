import type { ComplianceRecorder } from '../../../events/compliance/compliance-envelope';
import { partyKey } from '../../../events/compliance/compliance-party';
import { sweepStreamId } from '../../../events/compliance/compliance-streams';
import { requestOfLine } from '../../../events/compliance/inventory/inventory';
import {
  decideCompleteSweep,
  foldSweep,
  type SweepItem,
  type SweepSummary,
  sortSweepItems,
  summarizeSweep,
  sweepItemOf,
} from '../../../events/compliance/inventory/sweep';
import type {
  ComplianceInventoryStore,
  InventoryLineCursor,
  SweepResultStore,
} from '../../../events/ports/compliance-store.port';
import type { EventLog } from '../../../events/ports/event-log.port';
import { handleComplianceCommand } from '../compliance-commands';
import {
  IDENTIFIER_CHUNK,
  type RegistryIdentifierQueries,
  servicesCarrying,
} from '../inventory/registry-check';

export interface DeadlineSweepDeps {
  eventLog: EventLog;
  registry: RegistryIdentifierQueries;
  store: ComplianceInventoryStore & SweepResultStore;
}

export interface DeadlineSweepOptions {
  recordedBy: ComplianceRecorder;
  causationId: string;
  /** Lines swept so far, of `total` (the parties' latest reports). */
  onProgress?: (done: number, total: number) => void;
  clock?: () => Date;
}

/** The overdue items among every party's latest inventory lines, as of `asOf`, page by page. */
async function overdueItems(deps: DeadlineSweepDeps, asOf: string, options: DeadlineSweepOptions) {
  const total = await deps.store.countLatestLines();
  const items: SweepItem[] = [];
  let after: InventoryLineCursor | undefined;
  let done = 0;
  options.onProgress?.(0, total);
  for (;;) {
    const page = await deps.store.latestLinesPage(after, IDENTIFIER_CHUNK);
    if (page.length === 0) break;
    const carrying = await servicesCarrying(
      deps.registry,
      page.map((reported) => requestOfLine(reported.line)),
    );
    page.forEach((reported, index) => {
      const item = sweepItemOf(reported, carrying[index] ?? [], asOf);
      if (item) items.push(item);
    });
    const last = page[page.length - 1]!;
    after = { partyKey: partyKey(last.party), lineNo: last.line.lineNo };
    done += page.length;
    options.onProgress?.(done, Math.max(total, done));
  }
  return { lines: done, items: sortSweepItems(items) };
}

/**
 * The deadline sweep as of a China date: every reported service not registered by the deadline in
 * force, stored as the sweep's read model and recorded as SweepCompleted in the sweep's stream
 * (nothing new when a sweep of that date found exactly the same). Idempotent: run it again at will.
 */
export async function runDeadlineSweep(
  deps: DeadlineSweepDeps,
  asOf: string,
  options: DeadlineSweepOptions,
): Promise<SweepSummary> {
  const { lines, items } = await overdueItems(deps, asOf, options);
  const summary = summarizeSweep(asOf, lines, items);
  await deps.store.saveSweep(summary, items);
  await handleComplianceCommand(deps.eventLog, {
    streamId: sweepStreamId(asOf),
    fold: foldSweep,
    decide: (lastDigest) => decideCompleteSweep(summary, lastDigest),
    context: {
      occurredAt: (options.clock ?? (() => new Date()))().toISOString(),
      recordedBy: options.recordedBy,
      causationId: options.causationId,
    },
  });
  return summary;
}
