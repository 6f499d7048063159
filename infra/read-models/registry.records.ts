import type {
  RegistryFilingRow,
  RegistryIdentifierKind,
  RegistryServiceRow,
  RegistryServiceVersionRow,
  RegistrySubjectRow,
} from '../../events/ports/read-models.port';

/**
 * Registry rows as the read-model tables store them on either backend (snake_case, JSON text for
 * lists, NULL for absent) and back.
 */

export interface RegistrySubjectRecord {
  subject_number: string;
  province: string;
  operator_name: string | null;
  operator_nature: string | null;
  status: string;
  source: string;
  stream_id: string | null;
  changed_on: string | null;
  cancelled_on: string | null;
  shell_flagged_on: string | null;
  shell_last_service_number: string | null;
}

export interface RegistryServiceRecord {
  service_number: string;
  subject_number: string;
  sequence: number;
  service_type: string;
  name: string;
  operator_name: string;
  operator_nature: string | null;
  identifiers: string;
  pre_approval_categories: string;
  approved_on: string;
  status: string;
  filing_id: string | null;
  source: string;
  version: number;
  changed_on: string | null;
  /** JSON list of ISP names; NULL when unknown. */
  accesses: string | null;
  access_withdrawn_on: string | null;
  cancelled_on: string | null;
}

export interface RegistryServiceVersionRecord {
  service_number: string;
  version: number;
  name: string;
  identifiers: string;
  pre_approval_categories: string;
  operator_name: string;
  filing_id: string | null;
  approved_on: string | null;
  changed_on: string | null;
}

export interface RegistryFilingRecord {
  filing_id: string;
  province: string;
  service_type: string;
  operator_nature: string | null;
  identifiers: string;
  pre_approval_categories: string;
  kind: string | null;
}

/** What a service is looked up by: one row per identifier value. */
export interface RegistryIdentifierRecord {
  kind: RegistryIdentifierKind;
  value: string;
  service_number: string;
}

export type { RegistryIdentifierKind };

export function toRegistrySubjectRecord(row: RegistrySubjectRow): RegistrySubjectRecord {
  return {
    subject_number: row.subjectNumber,
    province: row.province,
    operator_name: row.operatorName ?? null,
    operator_nature: row.operatorNature ?? null,
    status: row.status,
    source: row.source,
    stream_id: row.streamId ?? null,
    changed_on: row.changedOn ?? null,
    cancelled_on: row.cancelledOn ?? null,
    shell_flagged_on: row.shell?.flaggedOn ?? null,
    shell_last_service_number: row.shell?.lastServiceNumber ?? null,
  };
}

/** The record was written by toRegistrySubjectRecord, so its text columns hold the union members. */
export function toRegistrySubjectRow(record: RegistrySubjectRecord): RegistrySubjectRow {
  const row = {
    subjectNumber: record.subject_number,
    province: record.province,
    status: record.status,
    source: record.source,
  } as RegistrySubjectRow;
  if (record.operator_name !== null) row.operatorName = record.operator_name;
  if (record.operator_nature !== null)
    row.operatorNature = record.operator_nature as RegistrySubjectRow['operatorNature'];
  if (record.stream_id !== null) row.streamId = record.stream_id;
  if (record.changed_on !== null) row.changedOn = record.changed_on;
  if (record.cancelled_on !== null) row.cancelledOn = record.cancelled_on;
  if (record.shell_flagged_on !== null && record.shell_last_service_number !== null) {
    row.shell = { flaggedOn: record.shell_flagged_on, lastServiceNumber: record.shell_last_service_number };
  }
  return row;
}

export function toRegistryServiceRecord(row: RegistryServiceRow): RegistryServiceRecord {
  return {
    service_number: row.serviceNumber,
    subject_number: row.subjectNumber,
    sequence: row.sequence,
    service_type: row.serviceType,
    name: row.name,
    operator_name: row.operatorName,
    operator_nature: row.operatorNature ?? null,
    identifiers: JSON.stringify(row.identifiers),
    pre_approval_categories: JSON.stringify(row.preApprovalCategories),
    approved_on: row.approvedOn,
    status: row.status,
    filing_id: row.filingId ?? null,
    source: row.source,
    version: row.version,
    changed_on: row.changedOn ?? null,
    accesses: row.accesses === undefined ? null : JSON.stringify(row.accesses),
    access_withdrawn_on: row.accessWithdrawnOn ?? null,
    cancelled_on: row.cancelledOn ?? null,
  };
}

export function toRegistryServiceRow(record: RegistryServiceRecord): RegistryServiceRow {
  const row = {
    serviceNumber: record.service_number,
    subjectNumber: record.subject_number,
    sequence: record.sequence,
    serviceType: record.service_type,
    name: record.name,
    operatorName: record.operator_name,
    identifiers: JSON.parse(record.identifiers),
    preApprovalCategories: JSON.parse(record.pre_approval_categories),
    approvedOn: record.approved_on,
    status: record.status,
    version: record.version,
    source: record.source,
  } as RegistryServiceRow;
  if (record.operator_nature !== null)
    row.operatorNature = record.operator_nature as RegistryServiceRow['operatorNature'];
  if (record.filing_id !== null) row.filingId = record.filing_id;
  if (record.changed_on !== null) row.changedOn = record.changed_on;
  if (record.accesses !== null) row.accesses = JSON.parse(record.accesses);
  if (record.access_withdrawn_on !== null) row.accessWithdrawnOn = record.access_withdrawn_on;
  if (record.cancelled_on !== null) row.cancelledOn = record.cancelled_on;
  return row;
}

export function toRegistryServiceVersionRecord(row: RegistryServiceVersionRow): RegistryServiceVersionRecord {
  return {
    service_number: row.serviceNumber,
    version: row.version,
    name: row.name,
    identifiers: JSON.stringify(row.identifiers),
    pre_approval_categories: JSON.stringify(row.preApprovalCategories),
    operator_name: row.operatorName,
    filing_id: row.filingId ?? null,
    approved_on: row.approvedOn ?? null,
    changed_on: row.changedOn ?? null,
  };
}

export function toRegistryServiceVersionRow(record: RegistryServiceVersionRecord): RegistryServiceVersionRow {
  const row: RegistryServiceVersionRow = {
    serviceNumber: record.service_number,
    version: record.version,
    name: record.name,
    identifiers: JSON.parse(record.identifiers),
    preApprovalCategories: JSON.parse(record.pre_approval_categories),
    operatorName: record.operator_name,
  };
  if (record.filing_id !== null) row.filingId = record.filing_id;
  if (record.approved_on !== null) row.approvedOn = record.approved_on;
  if (record.changed_on !== null) row.changedOn = record.changed_on;
  return row;
}

export function toRegistryFilingRecord(row: RegistryFilingRow): RegistryFilingRecord {
  return {
    filing_id: row.filingId,
    province: row.province,
    service_type: row.serviceType,
    operator_nature: row.operatorNature ?? null,
    identifiers: JSON.stringify(row.identifiers),
    pre_approval_categories: JSON.stringify(row.preApprovalCategories),
    kind: row.kind ?? null,
  };
}

export function toRegistryFilingRow(record: RegistryFilingRecord): RegistryFilingRow {
  const row = {
    filingId: record.filing_id,
    province: record.province,
    serviceType: record.service_type,
    identifiers: JSON.parse(record.identifiers),
    preApprovalCategories: JSON.parse(record.pre_approval_categories),
  } as RegistryFilingRow;
  if (record.operator_nature !== null)
    row.operatorNature = record.operator_nature as RegistryFilingRow['operatorNature'];
  if (record.kind !== null) row.kind = record.kind as RegistryFilingRow['kind'];
  return row;
}

/** The identifier rows of a service: package names, bundle ids, mini-program id, quick-app package, domains. */
export function identifierRecordsOf(row: RegistryServiceRow): RegistryIdentifierRecord[] {
  const { identifiers } = row;
  const values: Array<[RegistryIdentifierKind, string]> = [
    ...identifiers.packages.map((item): [RegistryIdentifierKind, string] => ['package', item.packageName]),
    ...identifiers.bundles.map((item): [RegistryIdentifierKind, string] => ['bundle', item.bundleId]),
    ...identifiers.domains.map((domain): [RegistryIdentifierKind, string] => [
      'domain',
      domain.toLowerCase(),
    ]),
  ];
  if (identifiers.miniProgram) values.push(['mini_program', identifiers.miniProgram.miniProgramId]);
  if (identifiers.quickAppPackage !== undefined) values.push(['quick_app', identifiers.quickAppPackage]);
  const unique = new Map(values.map(([kind, value]) => [`${kind}\u0000${value}`, { kind, value }]));
  return [...unique.values()].map(({ kind, value }) => ({ kind, value, service_number: row.serviceNumber }));
}
