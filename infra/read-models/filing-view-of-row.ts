import type { FilingTarget } from '../../events/filing/filing-kind';
import type { FilingStanding, FilingStatusView } from '../../events/filing/filing-view';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';

/** The target a row keeps: its numbers, and a change's `alters` and base filing. */
function targetOfRow(row: FilingSummaryRow): FilingTarget | undefined {
  if (row.targetSubjectNumber === undefined) return undefined;
  return {
    subjectNumber: row.targetSubjectNumber,
    ...(row.targetServiceNumber !== undefined && { serviceNumber: row.targetServiceNumber }),
    ...(row.targetAlters && { alters: row.targetAlters }),
    ...(row.targetBaseFilingId !== undefined && { baseFilingId: row.targetBaseFilingId }),
  };
}

type StandingDetails = Omit<FilingStanding, 'status' | 'stage' | 'overdue'>;

/** The status-dependent fields the row holds, in the order `filingStandingOf` gives them. */
function detailsOfRow(row: FilingSummaryRow): StandingDetails {
  const details: { -readonly [K in keyof StandingDetails]: StandingDetails[K] } = {};
  if (row.dueBy !== undefined) details.dueBy = row.dueBy;
  if (row.provisional !== undefined) details.provisional = row.provisional;
  if (row.smsAttemptsLeft !== undefined) details.smsAttemptsLeft = row.smsAttemptsLeft;
  if (row.reasons !== undefined) details.reasons = row.reasons;
  if (row.fieldReasons !== undefined) details.fieldReasons = row.fieldReasons;
  if (row.returnedBy !== undefined) details.returnedBy = row.returnedBy;
  if (row.registrationNumber !== undefined) details.registrationNumber = row.registrationNumber;
  return details;
}

/**
 * The filing's status view as of the row's revision: what `filingStatusView` gives for the state the
 * row was projected from (the projection writes every field it shows), keys in the same order.
 */
export function filingViewOfRow(row: FilingSummaryRow): FilingStatusView {
  const { filingId, status, stage, overdue, revision, kind } = row;
  const target = targetOfRow(row);
  return {
    filingId,
    status,
    stage,
    overdue,
    revision,
    kind,
    ...(target && { target }),
    serviceType: row.serviceType,
    province: row.province,
    appName: row.appName,
    platformId: row.platformId,
    ...detailsOfRow(row),
  };
}
