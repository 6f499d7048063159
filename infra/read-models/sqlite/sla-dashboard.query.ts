import type Database from 'better-sqlite3';
import { FILING_KINDS } from '../../../events/filing/filing-kind';
import { FILING_STAGES } from '../../../events/filing/filing-state';
import type {
  SlaDashboard,
  SlaDashboardQuery,
  SlaKindFigures,
  SlaProvinceFigures,
  SlaStageFigures,
} from '../../../events/ports/read-models.port';

const REPORTED_STAGES = FILING_STAGES.filter((stage) => stage !== 'submission');

/** A WHERE clause over sla_filings or sla_stage_visits (both have province, kind and stage) and its parameters. */
interface Scope {
  readonly where: string;
  readonly params: Readonly<Record<string, string>>;
}

function scopeOf(query: SlaDashboardQuery): Scope {
  const where: string[] = ['1 = 1'];
  const params: Record<string, string> = {};
  if (query.province !== undefined) {
    where.push('province = @province');
    params.province = query.province;
  }
  if (query.kind !== undefined) {
    where.push('kind = @kind');
    params.kind = query.kind;
  }
  return { where: where.join(' AND '), params };
}

function median(
  db: Database.Database,
  column: 'working_days' | 'calendar_days',
  { where, params }: Scope,
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

interface StageCount {
  readonly stage: string;
  readonly filings: number;
  readonly overdue: number;
}

/** Every reported stage's figures for the filings and finished stays in `scope`. */
function stageFigures(db: Database.Database, scope: Scope, counts: readonly StageCount[]): SlaStageFigures[] {
  return REPORTED_STAGES.map((stage): SlaStageFigures => {
    const inStage = counts.filter((row) => row.stage === stage);
    const stageScope: Scope = {
      where: `${scope.where} AND stage = @stage`,
      params: { ...scope.params, stage },
    };
    const finishedVisits =
      db
        .prepare<[Record<string, string>], { n: number }>(
          `SELECT count(*) AS n FROM sla_stage_visits WHERE ${stageScope.where}`,
        )
        .get(stageScope.params)?.n ?? 0;
    return {
      stage,
      filings: inStage.reduce((sum, row) => sum + row.filings, 0),
      overdue: inStage.reduce((sum, row) => sum + row.overdue, 0),
      finishedVisits,
      medianWorkingDays: median(db, 'working_days', stageScope, finishedVisits),
      medianCalendarDays: median(db, 'calendar_days', stageScope, finishedVisits),
    };
  });
}

/** Totals over a set of stage figures: every filing, those not closed, those overdue. */
function totalsOf(stages: readonly SlaStageFigures[]): Pick<SlaDashboard, 'filings' | 'open' | 'overdue'> {
  const filings = stages.reduce((sum, figures) => sum + figures.filings, 0);
  const closed = stages.find((figures) => figures.stage === 'closed')?.filings ?? 0;
  return {
    filings,
    open: filings - closed,
    overdue: stages.reduce((sum, figures) => sum + figures.overdue, 0),
  };
}

/** The SLA picture from the sla_dashboard projection's tables. */
export function readSlaDashboard(db: Database.Database, query: SlaDashboardQuery): SlaDashboard {
  const scope = scopeOf(query);
  const byProvince = db
    .prepare<[Record<string, string>], SlaProvinceFigures>(
      `SELECT province, stage, count(*) AS filings, sum(overdue) AS overdue FROM sla_filings
       WHERE ${scope.where} GROUP BY province, stage ORDER BY province, stage`,
    )
    .all(scope.params);
  const kindCounts = db
    .prepare<[Record<string, string>], StageCount & { kind: string }>(
      `SELECT kind, stage, count(*) AS filings, sum(overdue) AS overdue FROM sla_filings
       WHERE ${scope.where} GROUP BY kind, stage`,
    )
    .all(scope.params);
  const stages = stageFigures(db, scope, byProvince);
  const kinds = query.kind === undefined ? FILING_KINDS : [query.kind];
  const byKind = kinds.map((kind): SlaKindFigures => {
    const kindScope = scopeOf({ ...query, kind });
    const kindStages = stageFigures(
      db,
      kindScope,
      kindCounts.filter((row) => row.kind === kind),
    );
    return { kind, ...totalsOf(kindStages), stages: kindStages };
  });
  return {
    ...(query.province === undefined ? {} : { province: query.province }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...totalsOf(stages),
    stages,
    byProvince,
    byKind,
  };
}
