import { canonicalJson } from '../../canonical-json';
import { sha256Hex } from '../../ids';
import type { RecordedEvent } from '../../ports/event-log.port';
import type { InventoryLineRecord } from '../../ports/compliance-store.port';
import {
  VERIFICATION_STATUSES,
  type VerificationAnswer,
  type VerificationRequest,
  type VerificationStatus,
} from '../../registry/verification';
import type { ComplianceParty } from '../compliance-party';

/** The most lines one inventory report may hold. */
export const MAX_INVENTORY_LINES = 100_000;

/** One line of an inventory as the party sends it: a service it serves, lists or pre-installs. */
export type InventoryLine = Omit<InventoryLineRecord, 'lineNo' | 'statusAtReport' | 'serviceNumber'>;

export type InventoryCounts = Record<VerificationStatus, number>;

/** A report as stored and announced: who, which date, how many lines, their digest and statuses. */
export interface InventoryReport {
  party: ComplianceParty;
  reportedOn: string;
  lines: number;
  digest: string;
  counts: InventoryCounts;
}

export const INVENTORY_REPORTED = 'InventoryReported';

export interface InventoryReported {
  readonly type: typeof INVENTORY_REPORTED;
  readonly data: InventoryReport;
}

/** The question a line asks the registry (its identifier and, when given, its key or host app). */
export function requestOfLine(line: InventoryLine): VerificationRequest {
  switch (line.kind) {
    case 'package':
      return {
        kind: 'package',
        value: line.value,
        ...(line.signatureMd5 && { signatureMd5: line.signatureMd5 }),
      };
    case 'bundle':
      return {
        kind: 'bundle',
        value: line.value,
        ...(line.signatureSha1 && { signatureSha1: line.signatureSha1 }),
      };
    case 'mini_program':
      return { kind: 'mini_program', value: line.value, ...(line.hostApp && { hostApp: line.hostApp }) };
    case 'quick_app':
      return { kind: 'quick_app', value: line.value };
    case 'domain':
      return { kind: 'domain', value: line.value };
  }
}

/** SHA-256 of the lines in order, each in canonical JSON: the same report always has the same digest. */
export function inventoryDigest(lines: readonly InventoryLine[]): string {
  return sha256Hex(lines.map((line) => canonicalJson(line)).join('\n'));
}

export function zeroCounts(): InventoryCounts {
  return Object.fromEntries(VERIFICATION_STATUSES.map((status) => [status, 0])) as InventoryCounts;
}

/** The stored lines: each with what the registry answered when it was reported. */
export function inventoryRecords(
  lines: readonly InventoryLine[],
  answers: readonly VerificationAnswer[],
): InventoryLineRecord[] {
  return lines.map((line, index) => {
    const answer = answers[index]!;
    return {
      ...line,
      lineNo: index + 1,
      statusAtReport: answer.status,
      ...(answer.serviceNumber !== undefined && { serviceNumber: answer.serviceNumber }),
    };
  });
}

export function countsOf(records: readonly InventoryLineRecord[]): InventoryCounts {
  const counts = zeroCounts();
  for (const record of records) counts[record.statusAtReport] += 1;
  return counts;
}

/** A party's inventory stream: the digest reported for each date (a later report replaces it). */
export type InventoryState = ReadonlyMap<string, string>;

export function foldInventory(recorded: readonly RecordedEvent[]): InventoryState {
  const digests = new Map<string, string>();
  for (const event of recorded) {
    if (event.type !== INVENTORY_REPORTED) continue;
    const data = event.data as unknown as InventoryReport;
    digests.set(data.reportedOn, data.digest);
  }
  return digests;
}

/** Report an inventory: nothing new when the same lines were already reported for that date. */
export function decideReportInventory(report: InventoryReport, state: InventoryState): InventoryReported[] {
  if (state.get(report.reportedOn) === report.digest) return [];
  return [{ type: INVENTORY_REPORTED, data: report }];
}
