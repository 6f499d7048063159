import type {
  BureauQueueRow,
  FilingKindColumns,
  FilingSummaryRow,
  PublicRegistryFilingRow,
  PublicRegistryRow,
  SlaFilingRow,
  SlaStageVisit,
} from '../../events/ports/read-models.port';
import type { FieldReason } from '../../events/filing/filing-events';
import type { ReturnedBy } from '../../events/filing/filing-state';

/**
 * Rows as the read-model tables store them on either backend (snake_case, 0/1 booleans, NULL for
 * absent) and back.
 */

/** The kind columns a filing_summary and a bureau_queue record share. */
export interface FilingKindRecord {
  kind: string;
  target_subject_number: string | null;
  target_service_number: string | null;
}

export const FILING_KIND_COLUMNS = ['kind', 'target_subject_number', 'target_service_number'] as const;

function toFilingKindRecord(row: FilingKindColumns): FilingKindRecord {
  return {
    kind: row.kind,
    target_subject_number: row.targetSubjectNumber ?? null,
    target_service_number: row.targetServiceNumber ?? null,
  };
}

/** The record was written by toFilingKindRecord, so `kind` holds a FilingKind. */
function toFilingKindColumns(record: FilingKindRecord): FilingKindColumns {
  const columns = { kind: record.kind } as FilingKindColumns;
  if (record.target_subject_number !== null) columns.targetSubjectNumber = record.target_subject_number;
  if (record.target_service_number !== null) columns.targetServiceNumber = record.target_service_number;
  return columns;
}

export interface FilingSummaryRecord extends FilingKindRecord {
  filing_id: string;
  platform_id: string;
  province: string;
  service_type: string;
  app_name: string;
  status: string;
  stage: string;
  registration_number: string | null;
  due_by: string | null;
  overdue: number;
  revision: number;
  submitted_at: string;
  updated_at: string;
  operator_name: string | null;
  target_alters_subject: number | null;
  target_alters_service: number | null;
  target_base_filing_id: string | null;
  provisional: number | null;
  sms_attempts_left: number | null;
  reasons: string | null;
  /** JSON of the FieldReason[]. */
  field_reasons: string | null;
  returned_by: string | null;
}

export interface PublicRegistryRecord {
  registration_number: string;
  app_name: string;
  service_type: string;
  operator_name: string;
  province: string;
  published_at: string;
  status: string;
  cancelled_on: string | null;
  changed_at: string | null;
}

export interface PublicRegistryFilingRecord {
  filing_id: string;
  kind: string;
  subject_number: string;
  service_number: string | null;
  alters_subject: number;
}

export function toFilingSummaryRecord(row: FilingSummaryRow): FilingSummaryRecord {
  return {
    filing_id: row.filingId,
    platform_id: row.platformId,
    province: row.province,
    service_type: row.serviceType,
    app_name: row.appName,
    status: row.status,
    stage: row.stage,
    registration_number: row.registrationNumber ?? null,
    due_by: row.dueBy ?? null,
    overdue: row.overdue ? 1 : 0,
    revision: row.revision,
    submitted_at: row.submittedAt,
    updated_at: row.updatedAt,
    operator_name: row.operatorName ?? null,
    ...toFilingKindRecord(row),
    target_alters_subject: row.targetAlters ? flag(row.targetAlters.subject) : null,
    target_alters_service: row.targetAlters ? flag(row.targetAlters.service) : null,
    target_base_filing_id: row.targetBaseFilingId ?? null,
    provisional: row.provisional === undefined ? null : flag(row.provisional),
    sms_attempts_left: row.smsAttemptsLeft ?? null,
    reasons: row.reasons ?? null,
    field_reasons: row.fieldReasons ? JSON.stringify(row.fieldReasons) : null,
    returned_by: row.returnedBy ?? null,
  };
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** The standing columns of a filing_summary record (written by toFilingSummaryRecord) back as row fields. */
function standingOfRecord(record: FilingSummaryRecord): Partial<FilingSummaryRow> {
  const fields: Partial<FilingSummaryRow> = {};
  if (record.target_alters_subject !== null && record.target_alters_service !== null) {
    fields.targetAlters = {
      subject: record.target_alters_subject === 1,
      service: record.target_alters_service === 1,
    };
  }
  if (record.target_base_filing_id !== null) fields.targetBaseFilingId = record.target_base_filing_id;
  if (record.provisional !== null) fields.provisional = record.provisional === 1;
  if (record.sms_attempts_left !== null) fields.smsAttemptsLeft = record.sms_attempts_left;
  if (record.reasons !== null) fields.reasons = record.reasons;
  if (record.field_reasons !== null) fields.fieldReasons = JSON.parse(record.field_reasons) as FieldReason[];
  if (record.returned_by !== null) fields.returnedBy = record.returned_by as ReturnedBy;
  return fields;
}

/** The record was written by toFilingSummaryRecord, so its text columns hold the union members. */
export function toFilingSummaryRow(record: FilingSummaryRecord): FilingSummaryRow {
  const row = {
    filingId: record.filing_id,
    ...toFilingKindColumns(record),
    platformId: record.platform_id,
    province: record.province,
    serviceType: record.service_type,
    appName: record.app_name,
    status: record.status,
    stage: record.stage,
    overdue: record.overdue === 1,
    revision: record.revision,
    submittedAt: record.submitted_at,
    updatedAt: record.updated_at,
  } as FilingSummaryRow;
  if (record.registration_number !== null) row.registrationNumber = record.registration_number;
  if (record.due_by !== null) row.dueBy = record.due_by;
  if (record.operator_name !== null) row.operatorName = record.operator_name;
  return Object.assign(row, standingOfRecord(record));
}

export function toPublicRegistryRow(record: PublicRegistryRecord): PublicRegistryRow {
  const row = {
    registrationNumber: record.registration_number,
    appName: record.app_name,
    serviceType: record.service_type,
    operatorName: record.operator_name,
    province: record.province,
    publishedAt: record.published_at,
    status: record.status,
  } as PublicRegistryRow;
  if (record.cancelled_on !== null) row.cancelledOn = record.cancelled_on;
  if (record.changed_at !== null) row.changedAt = record.changed_at;
  return row;
}

export function toPublicRegistryRecord(row: PublicRegistryRow): PublicRegistryRecord {
  return {
    registration_number: row.registrationNumber,
    app_name: row.appName,
    service_type: row.serviceType,
    operator_name: row.operatorName,
    province: row.province,
    published_at: row.publishedAt,
    status: row.status,
    cancelled_on: row.cancelledOn ?? null,
    changed_at: row.changedAt ?? null,
  };
}

export function toPublicRegistryFilingRecord(row: PublicRegistryFilingRow): PublicRegistryFilingRecord {
  return {
    filing_id: row.filingId,
    kind: row.kind,
    subject_number: row.subjectNumber,
    service_number: row.serviceNumber ?? null,
    alters_subject: row.altersSubject ? 1 : 0,
  };
}

export function toPublicRegistryFilingRow(record: PublicRegistryFilingRecord): PublicRegistryFilingRow {
  const row = {
    filingId: record.filing_id,
    kind: record.kind,
    subjectNumber: record.subject_number,
    altersSubject: record.alters_subject === 1,
  } as PublicRegistryFilingRow;
  if (record.service_number !== null) row.serviceNumber = record.service_number;
  return row;
}

export interface BureauQueueRecord extends FilingKindRecord {
  filing_id: string;
  status: string;
  platform_id: string;
  province: string;
  service_type: string;
  app_name: string;
  submitted_at: string;
  updated_at: string;
  revision: number;
  queued_at: string | null;
  due_by: string | null;
  overdue: number;
}

export function toBureauQueueRecord(row: BureauQueueRow): BureauQueueRecord {
  return {
    filing_id: row.filingId,
    platform_id: row.platformId,
    province: row.province,
    service_type: row.serviceType,
    app_name: row.appName,
    submitted_at: row.submittedAt,
    updated_at: row.updatedAt,
    revision: row.revision,
    queued_at: row.queuedAt ?? null,
    due_by: row.dueBy ?? null,
    overdue: row.overdue ? 1 : 0,
    status: row.status,
    ...toFilingKindRecord(row),
  };
}

export function toBureauQueueRow(record: BureauQueueRecord): BureauQueueRow {
  const row = {
    filingId: record.filing_id,
    ...toFilingKindColumns(record),
    status: record.status,
    platformId: record.platform_id,
    province: record.province,
    serviceType: record.service_type,
    appName: record.app_name,
    submittedAt: record.submitted_at,
    updatedAt: record.updated_at,
    revision: record.revision,
    overdue: record.overdue === 1,
  } as BureauQueueRow;
  if (record.queued_at !== null) row.queuedAt = record.queued_at;
  if (record.due_by !== null) row.dueBy = record.due_by;
  return row;
}

export interface SlaFilingRecord extends FilingKindRecord {
  filing_id: string;
  platform_id: string;
  province: string;
  status: string;
  stage: string;
  stage_entered_at: string;
  due_by: string | null;
  overdue: number;
  visits: number;
}

export function toSlaFilingRecord(row: SlaFilingRow): SlaFilingRecord {
  return {
    filing_id: row.filingId,
    platform_id: row.platformId,
    province: row.province,
    ...toFilingKindRecord(row),
    status: row.status,
    stage: row.stage,
    stage_entered_at: row.stageEnteredAt,
    due_by: row.dueBy ?? null,
    overdue: row.overdue ? 1 : 0,
    visits: row.visits,
  };
}

export function toSlaFilingRow(record: SlaFilingRecord): SlaFilingRow {
  const row = {
    filingId: record.filing_id,
    platformId: record.platform_id,
    province: record.province,
    ...toFilingKindColumns(record),
    status: record.status,
    stage: record.stage,
    stageEnteredAt: record.stage_entered_at,
    overdue: record.overdue === 1,
    visits: record.visits,
  } as SlaFilingRow;
  if (record.due_by !== null) row.dueBy = record.due_by;
  return row;
}

export interface SlaStageVisitRecord {
  filing_id: string;
  visit: number;
  province: string;
  kind: string;
  stage: string;
  entered_at: string;
  left_at: string;
  working_days: number;
  calendar_days: number;
  was_overdue: number;
}

export function toSlaStageVisitRecord(visit: SlaStageVisit): SlaStageVisitRecord {
  return {
    filing_id: visit.filingId,
    visit: visit.visit,
    province: visit.province,
    kind: visit.kind,
    stage: visit.stage,
    entered_at: visit.enteredAt,
    left_at: visit.leftAt,
    working_days: visit.workingDays,
    calendar_days: visit.calendarDays,
    was_overdue: visit.wasOverdue ? 1 : 0,
  };
}
