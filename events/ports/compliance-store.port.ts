import type { ComplianceParty } from '../compliance/compliance-party';
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
