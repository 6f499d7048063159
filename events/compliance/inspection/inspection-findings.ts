import type { InventoryLineRecord } from '../../ports/compliance-store.port';
import type { RegistryIdentifierKey, RegistryServiceRow } from '../../ports/read-models.port';
import {
  identifierKeyOf,
  verify,
  type VerificationRequest,
  type VerificationStatus,
} from '../../registry/verification';
import type { FindingProblem, InspectionFinding } from './inspection-events';

const PROBLEM_OF: Readonly<Record<VerificationStatus, FindingProblem | undefined>> = {
  registered: undefined,
  not_registered: 'unregistered',
  identifier_mismatch: 'mismatched',
  cancelled: 'cancelled_but_served',
  access_withdrawn: 'withdrawn_but_served',
};

/** What the registry is asked for an inventory line (or a finding): the identifier and its qualifier. */
export function verificationRequestOf(
  line: Pick<InventoryLineRecord, 'kind' | 'value' | 'signatureMd5' | 'signatureSha1' | 'hostApp'>,
): VerificationRequest {
  switch (line.kind) {
    case 'package':
      return {
        kind: 'package',
        value: line.value,
        ...(line.signatureMd5 ? { signatureMd5: line.signatureMd5 } : {}),
      };
    case 'bundle':
      return {
        kind: 'bundle',
        value: line.value,
        ...(line.signatureSha1 ? { signatureSha1: line.signatureSha1 } : {}),
      };
    case 'mini_program':
      return { kind: 'mini_program', value: line.value, ...(line.hostApp ? { hostApp: line.hostApp } : {}) };
    case 'quick_app':
    case 'domain':
      return { kind: line.kind, value: line.value };
  }
}

/** `<kind>\0<value>`: how lines meet the registry's rows (domains case-folded, as the index keeps them). */
export function identifierText(request: VerificationRequest): string {
  return identifierKeyText(identifierKeyOf(request));
}

/** The same text for a key as the registry's index returns it. */
export function identifierKeyText(key: RegistryIdentifierKey): string {
  return `${key.kind}\u0000${key.value}`;
}

/**
 * The findings of an inventory: each line re-checked against the registry's services carrying its
 * identifier now (`carrying`, by `identifierText`); a registered line is no finding. Finding ids
 * follow the lines' order (`f1`, `f2`, …), so listing the same lines again gives the same ids.
 */
export function findingsOf(
  lines: readonly InventoryLineRecord[],
  carrying: ReadonlyMap<string, readonly RegistryServiceRow[]>,
  checkedAt: string,
): InspectionFinding[] {
  const sorted = [...lines].sort((a, b) => a.lineNo - b.lineNo);
  const findings: InspectionFinding[] = [];
  for (const line of sorted) {
    const request = verificationRequestOf(line);
    const answer = verify(request, carrying.get(identifierText(request)) ?? [], checkedAt);
    const problem = PROBLEM_OF[answer.status];
    if (problem === undefined) continue;
    const { lineNo, kind, value, signatureMd5, signatureSha1, hostApp, name } = line;
    findings.push({
      findingId: `f${findings.length + 1}`,
      lineNo,
      kind,
      value,
      ...(signatureMd5 === undefined ? {} : { signatureMd5 }),
      ...(signatureSha1 === undefined ? {} : { signatureSha1 }),
      ...(hostApp === undefined ? {} : { hostApp }),
      ...(name === undefined ? {} : { name }),
      problem,
      ...(answer.serviceNumber === undefined ? {} : { serviceNumber: answer.serviceNumber }),
    });
  }
  return findings;
}

/** Whether `serviceNumber` is a registered (active) service carrying the finding's identifier now. */
export function registeredSince(
  finding: Pick<InspectionFinding, 'kind' | 'value' | 'signatureMd5' | 'signatureSha1' | 'hostApp'>,
  serviceNumber: string,
  carrying: readonly RegistryServiceRow[],
  checkedAt: string,
): boolean {
  const rows = carrying.filter((row) => row.serviceNumber === serviceNumber);
  return verify(verificationRequestOf(finding), rows, checkedAt).status === 'registered';
}
