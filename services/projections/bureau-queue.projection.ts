import { initialFilingState, type SubmittedFilingState } from '../../events/filing/filing-state';
import { filingStandingOf } from '../../events/filing/filing-view';
import type { BureauQueueRow } from '../../events/ports/read-models.port';
import { evolveFiling, filingStateOfRow, kindColumnsOf } from './filing-fold';
import { type ProjectableEvent, readFilingEvent } from './projectable-event';

/**
 * The row of a filing in `state`. It is queued while its status is `bureau_review`, whatever event put
 * it there or takes it out (an approval, a rejection, a return, a withdrawal, or any event added
 * later): the queue follows `evolve`, not a list of event types. `queuedAt` is when the filing
 * entered the bureau review it is in; due time and overdue are the review's, and only while queued.
 */
function queueRowOf(
  state: SubmittedFilingState,
  current: BureauQueueRow | undefined,
  revision: number,
  occurredAt: string,
): BureauQueueRow {
  const { filingId, platformId, province, serviceType, appName, submittedAt } = state;
  const row: BureauQueueRow = {
    filingId,
    ...kindColumnsOf(state),
    platformId,
    province,
    serviceType,
    appName,
    status: state.status,
    submittedAt,
    updatedAt: occurredAt,
    revision,
    overdue: false,
  };
  if (state.status !== 'bureau_review') return row;
  const { overdue, dueBy } = filingStandingOf(state);
  const stillQueued = current?.status === 'bureau_review' && current.queuedAt !== undefined;
  row.queuedAt = stillQueued ? current.queuedAt : occurredAt;
  if (dueBy !== undefined) row.dueBy = dueBy;
  row.overdue = overdue;
  return row;
}

/**
 * The queue row after `recorded`, or `current` unchanged when it is not a known filing event. Pure:
 * the filing is folded with `evolve` from the state its row keeps (status, due time, overdue while
 * queued), so an event that cannot follow the row's status throws ProjectionError.
 */
export function projectBureauQueue(
  current: BureauQueueRow | undefined,
  recorded: ProjectableEvent,
): BureauQueueRow | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return current;
  const state = evolveFiling(current ? filingStateOfRow(current) : initialFilingState, read);
  return queueRowOf(state, current, read.seq, read.occurredAt);
}
