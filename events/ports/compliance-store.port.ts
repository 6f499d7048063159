import type { ComplianceParty } from '../compliance/compliance-party';
import type { ComplianceRecorder } from '../compliance/compliance-envelope';
import type { InventoryLine, InventoryReport } from '../compliance/inventory/inventory';
import type { SweepItem, SweepSummary } from '../compliance/inventory/sweep';
import type { VerificationRequest, VerificationStatus } from '../registry/verification';

/** One line of a party's inventory as stored, with what the registry answered when it was reported. */
export interface InventoryLineRecord {
  /** 1-based line of the report. */
  lineNo: number;
  kind: VerificationRequest['kind'];
  value: string;
  signatureMd5?: string;
  signatureSha1?: string;
  hostApp?: string;
  /** The operator's province as the party reports it (GB/T 2260 code). */
  province: string;
  /** China date the party began serving it; absent: before the rule (an existing app). */
  servedSince?: string;
  name?: string;
  statusAtReport: VerificationStatus;
  serviceNumber?: string;
}

export interface InventoryReportSummary {
  reportedOn: string;
  lines: number;
  /** SHA-256 of the report's canonical lines. */
  digest: string;
}

/** What inspections read of the inventories the parties reported (the inventory store implements it). */
export interface ComplianceInventories {
  latestReport(party: ComplianceParty): Promise<InventoryReportSummary | undefined>;
  latestLines(party: ComplianceParty, filter?: { province?: string }): Promise<InventoryLineRecord[]>;
}

// ---- What the inventory report and the deadline sweep write (H2) --------------------------------

/** One line of a party's latest report, as the sweep reads them all. */
export interface ReportedInventoryLine {
  party: ComplianceParty;
  reportedOn: string;
  line: InventoryLineRecord;
}

/** Where a scan of the latest lines stopped: the next page starts after it. */
export interface InventoryLineCursor {
  partyKey: string;
  lineNo: number;
}

export interface ComplianceInventoryStore extends ComplianceInventories {
  /** Stores a report with its lines, replacing the party's report of the same date if any. */
  saveReport(report: InventoryReport, lines: readonly InventoryLineRecord[]): Promise<void>;
  report(party: ComplianceParty, reportedOn: string): Promise<InventoryReport | undefined>;
  /** Reports, newest date first; of one party when given. */
  listReports(filter: { party?: ComplianceParty; reportedOn?: string }): Promise<InventoryReport[]>;
  /** Lines of every party's latest report, by party key then line number, `limit` after `after`. */
  latestLinesPage(after: InventoryLineCursor | undefined, limit: number): Promise<ReportedInventoryLine[]>;
  /** How many lines the parties' latest reports hold together. */
  countLatestLines(): Promise<number>;
}

/** The sweeps as read: one summary and its items per date swept (a sweep again replaces them). */
export interface SweepResultStore {
  saveSweep(summary: SweepSummary, items: readonly SweepItem[]): Promise<void>;
  sweep(asOf: string): Promise<SweepSummary | undefined>;
  sweepItems(asOf: string, filter: { province?: string; party?: string }): Promise<SweepItem[]>;
}

/** Both, in one database: `api.sqlite`, or PostgreSQL when DATABASE_URL is set. */
export interface ComplianceStore extends ComplianceInventoryStore, SweepResultStore {
  close(): Promise<void>;
}

/** Checks a party's inventory against the registry, records and stores it (the API's one writer). */
export interface InventoryReporter {
  reportInventory(request: {
    party: ComplianceParty;
    reportedOn: string;
    lines: readonly InventoryLine[];
    recordedBy: ComplianceRecorder;
    causationId: string;
  }): Promise<{ report: InventoryReport; created: boolean }>;
}
