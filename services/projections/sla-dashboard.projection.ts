import { stageOf } from '../../events/filing/transitions';
import type { SlaFilingRow, SlaStageVisit, SlaUpdate } from '../../events/ports/read-models.port';
import { type WorkingDayCalendar, workingDaysBetween } from '../../events/working-days';
import { summaryChangeOf } from './filing-summary.projection';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';

const DAY_MS = 86_400_000;

function calendarDaysBetween(fromIso: string, toIso: string): number {
  return Math.round(((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS) * 1000) / 1000;
}

/**
 * The SLA row after `recorded`, and the stage visit it finished, if any; undefined for an event that
 * is not a known filing event. Pure: working days come from the `calendar` it is given.
 */
export function projectSla(
  current: SlaFilingRow | undefined,
  recorded: ProjectableEvent,
  calendar: WorkingDayCalendar,
): SlaUpdate | undefined {
  const read = readFilingEvent(recorded);
  if (!read) return undefined;
  const { filingId, event, seq, occurredAt } = read;
  if (event.type === 'FilingSubmitted') {
    if (current) throw new ProjectionError(`filing ${filingId}: FilingSubmitted twice (seq ${seq})`);
    const filing: SlaFilingRow = {
      filingId,
      platformId: event.data.platformId,
      province: event.data.province,
      status: 'submitted',
      stage: stageOf('submitted'),
      stageEnteredAt: occurredAt,
      overdue: false,
      visits: 0,
    };
    return { filing };
  }
  if (!current) throw new ProjectionError(`filing ${filingId}: ${event.type} before FilingSubmitted`);
  const change = summaryChangeOf(current.status, event);
  const status = change.status ?? current.status;
  const stage = stageOf(status);
  const filing: SlaFilingRow = {
    ...current,
    status,
    stage,
    overdue: change.overdue ?? current.overdue,
  };
  const dueBy = 'dueBy' in change ? change.dueBy : current.dueBy;
  if (dueBy === undefined) delete filing.dueBy;
  else filing.dueBy = dueBy;
  if (stage === current.stage) return { filing };

  const finishedVisit: SlaStageVisit = {
    filingId,
    visit: current.visits,
    province: current.province,
    stage: current.stage,
    enteredAt: current.stageEnteredAt,
    leftAt: occurredAt,
    workingDays: workingDaysBetween(current.stageEnteredAt, occurredAt, calendar),
    calendarDays: calendarDaysBetween(current.stageEnteredAt, occurredAt),
    wasOverdue: current.overdue,
  };
  return {
    filing: { ...filing, stageEnteredAt: occurredAt, visits: current.visits + 1 },
    finishedVisit,
  };
}
