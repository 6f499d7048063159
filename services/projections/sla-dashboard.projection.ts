import { initialFilingState, type SubmittedFilingState } from '../../events/filing/filing-state';
import { filingStandingOf } from '../../events/filing/filing-view';
import { stageOf } from '../../events/filing/transitions';
import type { SlaFilingRow, SlaStageVisit, SlaUpdate } from '../../events/ports/read-models.port';
import { type WorkingDayCalendar, workingDaysBetween } from '../../events/working-days';
import { evolveFiling, filingStateOfRow, kindColumnsOf } from './filing-fold';
import { type ProjectableEvent, readFilingEvent } from './projectable-event';

const DAY_MS = 86_400_000;

function calendarDaysBetween(fromIso: string, toIso: string): number {
  return Math.round(((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS) * 1000) / 1000;
}

/** The row of a filing in `state`: where its status view says it stands, since when, after how many visits. */
function slaRowOf(state: SubmittedFilingState, stageEnteredAt: string, visits: number): SlaFilingRow {
  const { filingId, platformId, province } = state;
  const { status, stage, overdue, dueBy } = filingStandingOf(state);
  const row: SlaFilingRow = {
    filingId,
    platformId,
    province,
    ...kindColumnsOf(state),
    status,
    stage,
    stageEnteredAt,
    overdue,
    visits,
  };
  if (dueBy !== undefined) row.dueBy = dueBy;
  return row;
}

/**
 * The SLA row after `recorded`, and the stage visit it finished, if any; undefined for an event that
 * is not a known filing event. Pure: the filing is folded with `evolve` from the state its row keeps,
 * and working days come from the `calendar` it is given.
 */
export function projectSla(
  current: SlaFilingRow | undefined,
  recorded: ProjectableEvent,
  calendar: WorkingDayCalendar,
): SlaUpdate | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return undefined;
  const { filingId, occurredAt } = read;
  if (!current) return { filing: slaRowOf(evolveFiling(initialFilingState, read), occurredAt, 0) };
  const state = evolveFiling(filingStateOfRow(current), read);
  if (stageOf(state.status) === current.stage) {
    return { filing: slaRowOf(state, current.stageEnteredAt, current.visits) };
  }
  const finishedVisit: SlaStageVisit = {
    filingId,
    visit: current.visits,
    province: current.province,
    kind: current.kind,
    stage: current.stage,
    enteredAt: current.stageEnteredAt,
    leftAt: occurredAt,
    workingDays: workingDaysBetween(current.stageEnteredAt, occurredAt, calendar),
    calendarDays: calendarDaysBetween(current.stageEnteredAt, occurredAt),
    wasOverdue: current.overdue,
  };
  return { filing: slaRowOf(state, occurredAt, current.visits + 1), finishedVisit };
}
