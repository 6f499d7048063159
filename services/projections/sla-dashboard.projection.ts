import type { ProvinceCode } from '../../events/provinces';
import type { FilingStage, FilingStatus } from '../../events/filing/filing-state';
import { stageOf } from '../../events/filing/transitions';
import { type WorkingDayCalendar, workingDaysBetween } from '../../events/working-days';
import { summaryChangeOf } from './filing-summary.projection';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';

/** Where a filing stands for the SLA picture: its stage, since when, and whether it is overdue. */
export interface SlaFilingRow {
  filingId: string;
  platformId: string;
  province: ProvinceCode;
  status: FilingStatus;
  stage: FilingStage;
  /** occurredAt of the event that moved the filing into its current stage. */
  stageEnteredAt: string;
  dueBy?: string;
  overdue: boolean;
  /** Stage visits finished so far (the next one gets this number). */
  visits: number;
}

/** One finished stay in a stage: how long it took, in working days and in calendar days. */
export interface SlaStageVisit {
  filingId: string;
  visit: number;
  province: ProvinceCode;
  stage: FilingStage;
  enteredAt: string;
  leftAt: string;
  workingDays: number;
  calendarDays: number;
  wasOverdue: boolean;
}

export interface SlaUpdate {
  filing: SlaFilingRow;
  /** Set when the event moved the filing to another stage. */
  finishedVisit?: SlaStageVisit;
}

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
