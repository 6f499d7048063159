import type Database from 'better-sqlite3';
import { FILING_STAGES } from '../../../events/filing/filing-state';
import type {
  SlaDashboard,
  SlaDashboardQuery,
  SlaProvinceFigures,
  SlaStageFigures,
} from '../../../events/ports/read-models.port';

const REPORTED_STAGES = FILING_STAGES.filter((stage) => stage !== 'submission');

function median(
  db: Database.Database,
  column: 'working_days' | 'calendar_days',
  where: string,
  params: Record<string, string>,
  count: number,
): number | null {
  if (count === 0) return null;
  const middle = db
    .prepare<[Record<string, string | number>], { value: number }>(
      `SELECT ${column} AS value FROM sla_stage_visits WHERE ${where}
       ORDER BY ${column} LIMIT @take OFFSET @skip`,
    )
    .all({ ...params, take: count % 2 === 0 ? 2 : 1, skip: Math.floor((count - 1) / 2) })
    .map((row) => row.value);
  return Math.round((middle.reduce((sum, value) => sum + value, 0) / middle.length) * 100) / 100;
}

/** The SLA picture from the sla_dashboard projection's tables. */
export function readSlaDashboard(db: Database.Database, query: SlaDashboardQuery): SlaDashboard {
  const params: Record<string, string> = query.province === undefined ? {} : { province: query.province };
  const inProvince = query.province === undefined ? '1 = 1' : 'province = @province';
  const byProvince = db
    .prepare<[Record<string, string>], SlaProvinceFigures>(
      `SELECT province, stage, count(*) AS filings, sum(overdue) AS overdue FROM sla_filings
       WHERE ${inProvince} GROUP BY province, stage ORDER BY province, stage`,
    )
    .all(params);
  const stages = REPORTED_STAGES.map((stage): SlaStageFigures => {
    const inStage = byProvince.filter((row) => row.stage === stage);
    const where = `${inProvince} AND stage = @stage`;
    const stageParams = { ...params, stage };
    const finishedVisits =
      db
        .prepare<[Record<string, string>], { n: number }>(
          `SELECT count(*) AS n FROM sla_stage_visits WHERE ${where}`,
        )
        .get(stageParams)?.n ?? 0;
    return {
      stage,
      filings: inStage.reduce((sum, row) => sum + row.filings, 0),
      overdue: inStage.reduce((sum, row) => sum + row.overdue, 0),
      finishedVisits,
      medianWorkingDays: median(db, 'working_days', where, stageParams, finishedVisits),
      medianCalendarDays: median(db, 'calendar_days', where, stageParams, finishedVisits),
    };
  });
  const filings = byProvince.reduce((sum, row) => sum + row.filings, 0);
  const closed = stages.find((figures) => figures.stage === 'closed')?.filings ?? 0;
  return {
    ...(query.province === undefined ? {} : { province: query.province }),
    filings,
    open: filings - closed,
    overdue: stages.reduce((sum, figures) => sum + figures.overdue, 0),
    stages,
    byProvince,
  };
}
