import { canonicalJson } from '../../canonical-json';
import { sha256Hex } from '../../ids';
import type { RecordedEvent } from '../../ports/event-log.port';
import type { InventoryLineRecord } from '../../ports/compliance-store.port';
import type { RegistryServiceRow } from '../../ports/read-models.port';
import { verify } from '../../registry/verification';
import { type ComplianceParty, partyKey } from '../compliance-party';
import { sweepStreamId } from '../compliance-streams';
import { overdueAt } from '../deadline';
import { requestOfLine } from './inventory';

/** A reported service not registered by the deadline in force, as of the sweep's date. */
export interface SweepItem {
  province: string;
  /** `<role>:<id>` of the party that reported it. */
  party: string;
  kind: InventoryLineRecord['kind'];
  value: string;
  name?: string;
  deadline: string;
  daysPast: number;
  reportedOn: string;
}

export interface SweepSummary {
  sweepId: string;
  asOf: string;
  /** Lines swept (the parties' latest reports) and items found overdue. */
  counts: { lines: number; overdue: number };
  byProvince: Array<{ province: string; overdue: number }>;
  byParty: Array<{ party: string; overdue: number }>;
  /** SHA-256 of the items in order, each in canonical JSON. */
  digest: string;
}

/**
 * The item a line makes at `asOf`, or undefined when it is not overdue. Only services approved on
 * or before `asOf` count as registered then; an identifier registered to another key, or a
 * cancelled service, is not `not_registered` and so not in the sweep (an inspection finds those).
 */
export function sweepItemOf(
  reported: { party: ComplianceParty; reportedOn: string; line: InventoryLineRecord },
  carrying: readonly RegistryServiceRow[],
  asOf: string,
): SweepItem | undefined {
  const { line } = reported;
  const approvedByThen = carrying.filter((row) => row.approvedOn <= asOf);
  const answer = verify(requestOfLine(line), approvedByThen, `${asOf}T00:00:00.000Z`);
  const overdue = overdueAt(line, asOf, answer.status !== 'not_registered');
  if (!overdue) return undefined;
  return {
    province: line.province,
    party: partyKey(reported.party),
    kind: line.kind,
    value: line.value,
    ...(line.name !== undefined && { name: line.name }),
    deadline: overdue.deadline,
    daysPast: overdue.daysPast,
    reportedOn: reported.reportedOn,
  };
}

function tally(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Items in a stable order: province, party, kind, value. */
export function sortSweepItems(items: SweepItem[]): SweepItem[] {
  const key = (item: SweepItem) => [item.province, item.party, item.kind, item.value].join('\u0000');
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function summarizeSweep(asOf: string, lines: number, items: readonly SweepItem[]): SweepSummary {
  const sorted = (counts: Map<string, number>) => [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    // The workflow that runs it and the stream that records it share this id.
    sweepId: sweepStreamId(asOf),
    asOf,
    counts: { lines, overdue: items.length },
    byProvince: sorted(tally(items.map((item) => item.province))).map(([province, overdue]) => ({
      province,
      overdue,
    })),
    byParty: sorted(tally(items.map((item) => item.party))).map(([party, overdue]) => ({ party, overdue })),
    digest: sha256Hex(items.map((item) => canonicalJson(item)).join('\n')),
  };
}

export const SWEEP_COMPLETED = 'SweepCompleted';

export interface SweepCompleted {
  readonly type: typeof SWEEP_COMPLETED;
  readonly data: SweepSummary;
}

/** The digest of the last completed sweep of the stream (undefined before any). */
export function foldSweep(recorded: readonly RecordedEvent[]): string | undefined {
  const last = [...recorded].reverse().find((event) => event.type === SWEEP_COMPLETED);
  return last ? (last.data as unknown as SweepSummary).digest : undefined;
}

/** Record a sweep: nothing new when the last one of that date found exactly the same items. */
export function decideCompleteSweep(summary: SweepSummary, lastDigest: string | undefined): SweepCompleted[] {
  return lastDigest === summary.digest ? [] : [{ type: SWEEP_COMPLETED, data: summary }];
}
