import { initialFilingState, type SubmittedFilingState } from '../../events/filing/filing-state';
import { filingStandingOf } from '../../events/filing/filing-view';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { evolveFiling, filingStateOfRow, kindColumnsOf } from './filing-fold';
import { type ProjectableEvent, readFilingEvent } from './projectable-event';

/**
 * The row of a filing in `state`: its facts, where its status view says it stands, and the row's own
 * bookkeeping (the last event's seq and time, the operator named on publication).
 */
function summaryRowOf(
  state: SubmittedFilingState,
  revision: number,
  updatedAt: string,
  operatorName: string | undefined,
): FilingSummaryRow {
  const { filingId, platformId, province, serviceType, appName, submittedAt, target } = state;
  const { status, stage, overdue, ...standing } = filingStandingOf(state);
  const row: FilingSummaryRow = {
    filingId,
    ...kindColumnsOf(state),
    platformId,
    province,
    serviceType,
    appName,
    status,
    stage,
    overdue,
    revision,
    submittedAt,
    updatedAt,
  };
  if (operatorName !== undefined) row.operatorName = operatorName;
  if (target?.alters) row.targetAlters = { subject: target.alters.subject, service: target.alters.service };
  if (target?.baseFilingId !== undefined) row.targetBaseFilingId = target.baseFilingId;
  return Object.assign(row, definedOnly(standing));
}

/** The standing's fields that hold a value: a row has no field for what a status does not show. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The summary row after `recorded`, or `current` unchanged (undefined before submission) when the
 * event is not a known filing event. Pure: the filing is folded with `evolve` from the state its row
 * keeps, and the row is what the status view says of the result. Throws ProjectionError for an event
 * that cannot follow the row's status.
 */
export function projectFilingSummary(
  current: FilingSummaryRow | undefined,
  recorded: ProjectableEvent,
): FilingSummaryRow | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return current;
  const { event, seq, occurredAt } = read;
  const state = evolveFiling(current ? filingStateOfRow(current) : initialFilingState, read);
  const operatorName =
    event.type === 'RegistrationPublished' ? event.data.operatorName : current?.operatorName;
  return summaryRowOf(state, seq, occurredAt, operatorName);
}
