import { type ComplianceParty, parsePartyKey, partyKey } from '../../events/compliance/compliance-party';
import type { InventoryCounts, InventoryReport } from '../../events/compliance/inventory/inventory';
import type { SweepItem, SweepSummary } from '../../events/compliance/inventory/sweep';
import type {
  InventoryLineCursor,
  InventoryLineRecord,
  ReportedInventoryLine,
} from '../../events/ports/compliance-store.port';

/** The rows both backends keep: what varies per backend is only how they are written and read. */
export interface ReportRow {
  party_key: string;
  reported_on: string;
  lines: number;
  digest: string;
  counts_json: string;
}

export interface LineRow {
  party_key: string;
  reported_on: string;
  line_json: string;
}

export function partyOfKey(key: string): ComplianceParty {
  const party = parsePartyKey(key);
  if (!party) throw new Error(`stored party key is malformed: ${key}`);
  return party;
}

export function reportOfRow(row: ReportRow): InventoryReport {
  return {
    party: partyOfKey(row.party_key),
    reportedOn: row.reported_on,
    lines: Number(row.lines),
    digest: row.digest,
    counts: JSON.parse(row.counts_json) as InventoryCounts,
  };
}

export function reportLineOfRow(row: LineRow): ReportedInventoryLine {
  return {
    party: partyOfKey(row.party_key),
    reportedOn: row.reported_on,
    line: JSON.parse(row.line_json) as InventoryLineRecord,
  };
}

export function reportColumns(report: InventoryReport): ReportRow {
  return {
    party_key: partyKey(report.party),
    reported_on: report.reportedOn,
    lines: report.lines,
    digest: report.digest,
    counts_json: JSON.stringify(report.counts),
  };
}

/** Where the next page of latest lines starts: the beginning, or after the cursor. */
export function cursorValues(after: InventoryLineCursor | undefined): [string, string, number] {
  return after ? [after.partyKey, after.partyKey, after.lineNo] : ['', '', 0];
}

export function sweepOfJson(json: string): SweepSummary {
  return JSON.parse(json) as SweepSummary;
}

export function sweepItemOfJson(json: string): SweepItem {
  return JSON.parse(json) as SweepItem;
}

/** The parties' latest report dates (a later report of a party supersedes its earlier ones). */
export const LATEST_REPORTS = `SELECT party_key, MAX(reported_on) AS reported_on FROM inventory_reports GROUP BY party_key`;
