import { targetOfColumns } from '../../events/filing/filing-kind';
import type { FilingStanding, FilingStatusView } from '../../events/filing/filing-view';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';

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
  const target = targetOfColumns(row);
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
