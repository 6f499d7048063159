import { FILING_KINDS } from '../../events/filing/filing-kind';
import { FILING_STAGES } from '../../events/filing/filing-state';
import type {
  SlaDashboard,
  SlaDashboardQuery,
  SlaKindFigures,
  SlaProvinceFigures,
  SlaStageFigures,
} from '../../events/ports/read-models.port';
import { type ReadSql, first } from './read-sql';

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

async function median(
  sql: ReadSql,
  column: 'working_days' | 'calendar_days',
  { where, params }: Scope,
  count: number,
): Promise<number | null> {
  if (count === 0) return null;
  const rows = await sql.all<{ value: number }>(
    `SELECT ${column} AS value FROM sla_stage_visits WHERE ${where}
     ORDER BY ${column} LIMIT @take OFFSET @skip`,
    { ...params, take: count % 2 === 0 ? 2 : 1, skip: Math.floor((count - 1) / 2) },
  );
  const middle = rows.map((row) => Number(row.value));
  return Math.round((middle.reduce((sum, value) => sum + value, 0) / middle.length) * 100) / 100;
}

interface StageCount {
  readonly stage: string;
  readonly filings: number;
  readonly overdue: number;
}

/** Every reported stage's figures for the filings and finished stays in `scope`. */
async function stageFigures(
  sql: ReadSql,
  scope: Scope,
  counts: readonly StageCount[],
): Promise<SlaStageFigures[]> {
  const figures = REPORTED_STAGES.map(async (stage): Promise<SlaStageFigures> => {
    const inStage = counts.filter((row) => row.stage === stage);
    const stageScope: Scope = {
      where: `${scope.where} AND stage = @stage`,
      params: { ...scope.params, stage },
    };
    const counted = await first<{ n: number | string }>(
      sql,
      `SELECT count(*) AS n FROM sla_stage_visits WHERE ${stageScope.where}`,
      stageScope.params,
    );
    const finishedVisits = Number(counted?.n ?? 0);
    return {
      stage,
      filings: inStage.reduce((sum, row) => sum + row.filings, 0),
      overdue: inStage.reduce((sum, row) => sum + row.overdue, 0),
      finishedVisits,
      medianWorkingDays: await median(sql, 'working_days', stageScope, finishedVisits),
      medianCalendarDays: await median(sql, 'calendar_days', stageScope, finishedVisits),
    };
  });
  return Promise.all(figures);
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

/** Filings by `group` (province or kind) and stage in `scope`; counts as numbers on either backend. */
async function countsBy(
  sql: ReadSql,
  group: 'province' | 'kind',
  scope: Scope,
): Promise<Array<StageCount & { group: string }>> {
  const rows = await sql.all<{ grouped: string; stage: string; filings: number; overdue: number }>(
    `SELECT ${group} AS grouped, stage, count(*) AS filings, sum(overdue) AS overdue FROM sla_filings
     WHERE ${scope.where} GROUP BY ${group}, stage ORDER BY ${group}, stage`,
    scope.params,
  );
  return rows.map((row) => ({
    group: row.grouped,
    stage: row.stage,
    filings: Number(row.filings),
    overdue: Number(row.overdue),
  }));
}

/** The SLA picture from the sla_dashboard projection's tables. */
export async function readSlaDashboard(sql: ReadSql, query: SlaDashboardQuery): Promise<SlaDashboard> {
  const scope = scopeOf(query);
  const byProvince = (await countsBy(sql, 'province', scope)).map(
    ({ group, stage, filings, overdue }): SlaProvinceFigures => ({
      province: group,
      stage: stage as SlaProvinceFigures['stage'],
      filings,
      overdue,
    }),
  );
  const kindCounts = await countsBy(sql, 'kind', scope);
  const stages = await stageFigures(sql, scope, byProvince);
  const kinds = query.kind === undefined ? FILING_KINDS : [query.kind];
  const byKind = await Promise.all(
    kinds.map(async (kind): Promise<SlaKindFigures> => {
      const kindScope = scopeOf({ ...query, kind });
      const kindStages = await stageFigures(
        sql,
        kindScope,
        kindCounts.filter((row) => row.group === kind),
      );
      return { kind, ...totalsOf(kindStages), stages: kindStages };
    }),
  );
  return {
    ...(query.province === undefined ? {} : { province: query.province }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...totalsOf(stages),
    stages,
    byProvince,
    byKind,
  };
}
