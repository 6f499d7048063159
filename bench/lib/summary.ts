import type { BenchResult } from './report';

/** The headline figures of a run as one Markdown table (README's "Benchmarks" section shows it). */

type Row = [benchmark: string, figure: string, ours: string, baseline: string, ratio: string];

function get(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function fmt(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '–';
    return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
  }
  return typeof value === 'string' ? value : '–';
}

const pair = (figures: unknown, a: string, b: string): string =>
  `${fmt(get(figures, a))} / ${fmt(get(figures, b))}`;

/** What a filing costs, for docs/capacity.md: CPU by process and alone, bytes stored by store. */
function lifecycleCostRows(f: unknown): Row[] {
  return [
    [
      '',
      'CPU ms per filing: Temporal server / bench process (worker, client, SQLite) / its main thread',
      `${pair(f, 'ours.cpuMsPerFiling.temporalServer', 'ours.cpuMsPerFiling.benchProcess')} / ${fmt(get(f, 'ours.cpuMsPerFiling.benchMainThread'))}`,
      `${pair(f, 'bare.cpuMsPerFiling.temporalServer', 'bare.cpuMsPerFiling.benchProcess')} / ${fmt(get(f, 'bare.cpuMsPerFiling.benchMainThread'))}`,
      fmt(get(f, 'ratio.cpuMsPerFiling')),
    ],
    [
      '',
      `CPU ms per filing measured alone: event-log writes (${fmt(get(f, 'costs.eventsPerFiling'))} events, one per append) / read-model projection`,
      pair(f, 'costs.cpuMsPerFilingAlone.eventLogWrites', 'costs.cpuMsPerFilingAlone.readModelProjection'),
      '',
      '',
    ],
    [
      '',
      'bytes stored per filing: event log / read models / Temporal history',
      `${pair(f, 'costs.bytesPerFiling.eventLog', 'costs.bytesPerFiling.readModels')} / ${fmt(get(f, 'costs.bytesPerFiling.temporalHistory'))}`,
      `– / – / ${fmt(get(f, 'costs.temporalHistory.bare.bytesPerWorkflow'))} (bare workflow)`,
      '',
    ],
    [
      '',
      'Temporal history events per workflow',
      fmt(get(f, 'costs.temporalHistory.ours.eventsPerWorkflow')),
      fmt(get(f, 'costs.temporalHistory.bare.eventsPerWorkflow')),
      '',
    ],
  ];
}

function lifecycleRows(f: unknown): Row[] {
  const stage = (name: string, label: string): Row => [
    '',
    `${label} p50 / p95 ms`,
    pair(f, `ours.stagesMs.${name}.p50`, `ours.stagesMs.${name}.p95`),
    pair(f, `bare.stagesMs.${name}.p50`, `bare.stagesMs.${name}.p95`),
    fmt(get(f, `ratio.${name}P50`)),
  ];
  return [
    [
      'lifecycle',
      `filings/s (${fmt(get(f, 'filings'))} filings, ${fmt(get(f, 'concurrency'))} at a time)`,
      fmt(get(f, 'ours.filingsPerS')),
      `${fmt(get(f, 'bare.filingsPerS'))} (bare workflow)`,
      fmt(get(f, 'ratio.filingsPerS')),
    ],
    stage('submission', 'submission → platform review'),
    stage('platformReview', 'platform review → SMS sent'),
    stage('smsVerification', 'SMS answer → bureau review'),
    stage('bureauReviewToCompletion', 'bureau review → number issued'),
    [
      '',
      'whole filing p50 / p95 ms',
      pair(f, 'ours.totalMs.p50', 'ours.totalMs.p95'),
      pair(f, 'bare.totalMs.p50', 'bare.totalMs.p95'),
      fmt(get(f, 'ratio.totalP50')),
    ],
    ...lifecycleCostRows(f),
  ];
}

function appendRows(f: unknown): Row[] {
  return [
    [
      'append',
      'events/s, one event per append',
      fmt(get(f, 'single.oursEventsPerS')),
      `${fmt(get(f, 'single.rawEventsPerS'))} (raw INSERT)`,
      fmt(get(f, 'single.ratio')),
    ],
    [
      '',
      'one-event append p50 / p99 ms',
      pair(f, 'single.oursLatencyMs.p50', 'single.oursLatencyMs.p99'),
      pair(f, 'single.rawLatencyMs.p50', 'single.rawLatencyMs.p99'),
      `${fmt(get(f, 'single.ratioAtP50'))} (at p50)`,
    ],
    [
      '',
      'events/s, 10 events per append',
      fmt(get(f, 'batch10.oursEventsPerS')),
      `${fmt(get(f, 'batch10.rawEventsPerS'))} (raw INSERT)`,
      fmt(get(f, 'batch10.ratio')),
    ],
    [
      '',
      'ten-event append p50 / p99 ms',
      pair(f, 'batch10.oursLatencyMs.p50', 'batch10.oursLatencyMs.p99'),
      pair(f, 'batch10.rawLatencyMs.p50', 'batch10.rawLatencyMs.p99'),
      `${fmt(get(f, 'batch10.ratioAtP50'))} (at p50)`,
    ],
  ];
}

/** Each rebuild row's baseline is the raw read measured next to it (see bench/rebuild.ts). */
function rebuildRows(f: unknown): Row[] {
  const keys = (path: string) => Object.keys((get(f, path) as Record<string, unknown> | undefined) ?? {});
  const projections = keys('projections');
  const timed = (path: string, figure: string): Row => [
    '',
    figure,
    fmt(get(f, `${path}.eventsPerS`)),
    fmt(get(f, `${path}.rawEventsPerS`)),
    fmt(get(f, `${path}.ratio`)),
  ];
  return [
    [
      'rebuild',
      `events/s, all ${projections.length} projections in one pass (${fmt(get(f, 'events'))} events, batch ${fmt(get(f, 'batchSize'))})`,
      fmt(get(f, 'rebuildAllEventsPerS')),
      `${fmt(get(f, 'rawReadEventsPerS'))} (raw sequential read)`,
      fmt(get(f, 'ratioAll')),
    ],
    ...keys('batchSizes').map((size) =>
      timed(`batchSizes.${size}`, `events/s, all in one pass, batch ${fmt(Number(size))} (mean of 2)`),
    ),
    [
      '',
      'events/s, all one after another (a pass each)',
      fmt(get(f, 'oneByOneAllEventsPerS')),
      fmt(get(f, 'oneByOneRawEventsPerS')),
      fmt(get(f, 'ratioOneByOne')),
    ],
    ...projections.map((name) => timed(`projections.${name}`, `events/s, ${name} alone`)),
    [
      '',
      'events/s, readAll through the log port',
      fmt(get(f, 'portReadAllEventsPerS')),
      fmt(get(f, 'rawReadAroundEventsPerS')),
      fmt(get(f, 'ratioPortRead')),
    ],
  ];
}

function auditRows(f: unknown): Row[] {
  const byConcurrency = [1, 2, 4, 8]
    .map((n) => `${n}: ${fmt(get(f, `verifyAll.eventsPerSByReadConcurrency.${n}`))}`)
    .join(', ');
  return [
    [
      'audit',
      'replay + verify one filing p50 / p99 ms (node:crypto; pure-JS hasher for reference)',
      pair(f, 'replayOneFilingMs.p50', 'replayOneFilingMs.p99'),
      `${pair(f, 'pureHasher.replayOneFilingMs.p50', 'pureHasher.replayOneFilingMs.p99')} (pure-JS hasher)`,
      '',
    ],
    [
      '',
      `verify --all events/s (${fmt(get(f, 'filings'))} filings, ${fmt(get(f, 'events'))} events, ${fmt(get(f, 'verifyAll.readConcurrency'))} reads at once)`,
      fmt(get(f, 'verifyAll.eventsPerS')),
      `${fmt(get(f, 'rawStreamReadEventsPerS'))} (raw stream reads)`,
      fmt(get(f, 'ratioVerifyAll')),
    ],
    [
      '',
      'verify --all events/s with the pure-JS hasher (reference)',
      fmt(get(f, 'verifyAll.pureHasherEventsPerS')),
      `${fmt(get(f, 'rawStreamReadEventsPerS'))} (raw stream reads)`,
      fmt(get(f, 'ratioVerifyAllPureHasher')),
    ],
    ['', `verify --all events/s by reads at once (${byConcurrency})`, '', '', ''],
  ];
}

/** One read variant of `GET /v1/filings/:id` against the trivial route: rate, latency, where it answered from. */
function apiReadRow(f: unknown, route: string, label: string, ratioKey: string): Row {
  const source = get(f, `readSources.${route}`);
  return [
    '',
    `${label} req/s (p50 / p99 ms)${typeof source === 'string' ? `, answered from ${source}` : ''}`,
    `${fmt(get(f, `${route}.reqPerS`))} (${pair(f, `${route}.latencyMs.p50`, `${route}.latencyMs.p99`)})`,
    `${fmt(get(f, 'trivial.reqPerS'))} (trivial route)`,
    fmt(get(f, `ratio.${ratioKey}`)),
  ];
}

const cpuTriple = (f: unknown, route: string): string =>
  `${pair(f, `cpuMsPerRequest.${route}.temporalServer`, `cpuMsPerRequest.${route}.apiProcess`)} / ${fmt(get(f, `cpuMsPerRequest.${route}.benchProcess`))}`;

/** The read side on PostgreSQL (DATABASE_URL), against the trivial route of the same server. */
function apiPostgresRows(f: unknown): Row[] {
  const skipped = get(f, 'postgres.skipped');
  if (typeof skipped === 'string')
    return [['', 'read side on PostgreSQL', `not measured: ${skipped}`, '', '']];
  if (get(f, 'postgres') === undefined) return [];
  const row = (route: string, label: string, ratioKey: string): Row => {
    const source = get(f, `postgres.readSources.${route}`);
    return [
      '',
      `${label} on PostgreSQL req/s (p50 / p99 ms)${typeof source === 'string' ? `, answered from ${source}` : ''}`,
      `${fmt(get(f, `postgres.${route}.reqPerS`))} (${pair(f, `postgres.${route}.latencyMs.p50`, `postgres.${route}.latencyMs.p99`)})`,
      `${fmt(get(f, 'postgres.trivial.reqPerS'))} (trivial route, same server)`,
      fmt(get(f, `postgres.ratio.${ratioKey}`)),
    ];
  };
  return [
    row('filing', 'GET /v1/filings/:id', 'reqPerS'),
    row('filingMinRevision', 'GET /v1/filings/:id?minRevision=<current>', 'minRevisionReqPerS'),
    [
      '',
      'GET /v1/filings/:id req/s: PostgreSQL read side ÷ SQLite',
      fmt(get(f, 'postgres.filing.reqPerS')),
      `${fmt(get(f, 'filing.reqPerS'))} (SQLite)`,
      fmt(get(f, 'ratio.postgresVsSqlite')),
    ],
  ];
}

function apiRows(f: unknown): Row[] {
  return [
    [
      'api',
      `trivial Nest route req/s (p50 / p99 ms), ${fmt(get(f, 'connections'))} connections`,
      `${fmt(get(f, 'trivial.reqPerS'))} (${pair(f, 'trivial.latencyMs.p50', 'trivial.latencyMs.p99')})`,
      `${fmt(get(f, 'bare.reqPerS'))} (${pair(f, 'bare.latencyMs.p50', 'bare.latencyMs.p99')}) (bare Node http)`,
      fmt(get(f, 'ratio.trivialVsBareReqPerS')),
    ],
    apiReadRow(f, 'filing', 'GET /v1/filings/:id', 'reqPerS'),
    [
      '',
      'GET /v1/filings/:id p50 / p99 ms',
      pair(f, 'filing.latencyMs.p50', 'filing.latencyMs.p99'),
      pair(f, 'trivial.latencyMs.p50', 'trivial.latencyMs.p99'),
      `${fmt(get(f, 'ratio.p50'))} / ${fmt(get(f, 'ratio.p99'))}`,
    ],
    apiReadRow(f, 'filingMinRevision', 'GET /v1/filings/:id?minRevision=<current>', 'minRevisionReqPerS'),
    apiReadRow(f, 'filingStrong', 'GET /v1/filings/:id?consistency=strong', 'strongReqPerS'),
    [
      '',
      'trivial route behind the JWT guard, req/s',
      fmt(get(f, 'trivialAuth.reqPerS')),
      fmt(get(f, 'trivial.reqPerS')),
      fmt(get(f, 'ratio.trivialAuthReqPerS')),
    ],
    [
      '',
      'CPU ms per default read: Temporal server / API process / load generator',
      cpuTriple(f, 'filing'),
      `${cpuTriple(f, 'trivial')} (trivial route)`,
      '',
    ],
    [
      '',
      'CPU ms per strong read: Temporal server / API process / load generator',
      cpuTriple(f, 'filingStrong'),
      `${cpuTriple(f, 'bare')} (bare Node http)`,
      '',
    ],
    ...apiPostgresRows(f),
    [
      '',
      'status query straight through the Temporal client, q/s',
      fmt(get(f, 'temporalQuery.perS')),
      fmt(get(f, 'trivial.reqPerS')),
      fmt(get(f, 'ratio.temporalQueryPerS')),
    ],
  ];
}

function memoryRows(f: unknown): Row[] {
  const list = (path: string): unknown[] => (get(f, path) as unknown[] | undefined) ?? [];
  const last = list('waiting').at(-1);
  const rows: Row[] = [
    [
      'memory',
      `worker RSS MiB idle (${fmt(get(f, 'tuning.cachedWorkflows'))} cached at most)`,
      fmt(get(f, 'idle.worker.rssMiB')),
      `${fmt(get(f, 'idle.bareWorker.rssMiB'))} (bare workflow's worker)`,
      fmt(get(f, 'idle.workerOverBareWorkerRss')),
    ],
    ...list('waiting').map((point): Row => [
      '',
      `worker RSS MiB, ${fmt(get(point, 'waiting'))} in bureau review (driven at ${fmt(get(point, 'drive.filingsPerS'))}/s)`,
      fmt(get(point, 'worker.rssMiB')),
      `${fmt(get(f, 'idle.worker.rssMiB'))} (same worker idle)`,
      fmt(get(point, 'workerRssOverIdle')),
    ]),
    [
      '',
      `API / Temporal dev server RSS MiB, idle → ${fmt(get(last, 'waiting'))} waiting`,
      `${pair(f, 'idle.api.rssMiB', 'idle.temporalRssMiB')} → ${pair(last, 'api.rssMiB', 'temporalRssMiB')}`,
      '',
      '',
    ],
  ];
  const waiting = fmt(get(f, 'eviction.waiting'));
  for (const point of list('eviction.points')) {
    rows.push([
      '',
      `cache ${fmt(get(point, 'cache'))} (${fmt(get(point, 'cachedNow'))} held), ${waiting} waiting: RSS MiB; status p50 / p99 ms cached, evicted`,
      `${fmt(get(point, 'rssMiB'))}; ${pair(point, 'cachedQueryMs.p50', 'cachedQueryMs.p99')}, ${pair(point, 'evictedQueryMs.p50', 'evictedQueryMs.p99')}`,
      '',
      fmt(get(point, 'evictedOverCachedP50')),
    ]);
  }
  rows.push([
    '',
    'worker RSS per cached workflow, KiB',
    fmt(get(f, 'eviction.rssPerCachedWorkflowKiB')),
    '',
    '',
  ]);
  return rows;
}

function scaleRows(f: unknown): Row[] {
  const points = (get(f, 'points') as unknown[] | undefined) ?? [];
  const rows: Row[] = points.map((point, index): Row => [
    index === 0 ? 'scale' : '',
    `${fmt(get(point, 'filings'))} filings stored: append / filing read p50 (p99) ms`,
    `${fmt(get(point, 'appendMs.p50'))} (${fmt(get(point, 'appendMs.p99'))}) / ${fmt(get(point, 'filingReadMs.p50'))} (${fmt(get(point, 'filingReadMs.p99'))})`,
    '',
    '',
  ]);
  const verdicts = (get(f, 'verdicts') as string[] | undefined) ?? [];
  rows.push(['', 'verdict', verdicts.join('; '), '', '']);
  return rows;
}

function verifyRows(f: unknown): Row[] {
  const points = (get(f, 'verify') as unknown[] | undefined) ?? [];
  const rows: Row[] = points.flatMap((point, index): Row[] => [
    [
      index === 0 ? 'verify' : '',
      `GET /v1/verify req/s, ${fmt(get(point, 'services'))} services`,
      fmt(get(point, 'verify.reqPerS')),
      `${fmt(get(point, 'trivial.reqPerS'))} (trivial route)`,
      fmt(get(point, 'ratio.reqPerS')),
    ],
    [
      '',
      'GET /v1/verify p50 / p99 ms',
      pair(point, 'verify.latencyMs.p50', 'verify.latencyMs.p99'),
      pair(point, 'trivial.latencyMs.p50', 'trivial.latencyMs.p99'),
      `${fmt(get(point, 'ratio.p99'))} (at p99)`,
    ],
  ]);
  const last = points.at(-1);
  return [
    ...rows,
    [
      '',
      'GET /v1/verify req/s ÷ the trivial route behind the JWT guard',
      fmt(get(last, 'verify.reqPerS')),
      `${fmt(get(last, 'trivialAuth.reqPerS'))} (trivial + JWT)`,
      fmt(get(last, 'ratio.reqPerSVsTrivialAuth')),
    ],
    [
      '',
      'server CPU ms per request: verify / trivial (10% unregistered)',
      fmt(get(last, 'verify.cpuMsPerRequest.server')),
      `${fmt(get(last, 'trivial.cpuMsPerRequest.server'))} (trivial route)`,
      fmt(get(last, 'ratio.serverCpuPerRequest')),
    ],
    [
      '',
      `flatness: req/s at ${fmt(get(f, 'flatness.from'))} ÷ at ${fmt(get(f, 'flatness.to'))} services`,
      fmt(get(f, 'flatness.reqPerS')),
      '',
      `${fmt(get(f, 'flatness.ratioToTrivial'))} (of ratios)`,
    ],
    [
      '',
      `POST /v1/verify/batch, ${fmt(get(f, 'batch.items'))} items: items/s`,
      `${fmt(get(f, 'batch.itemsPerS'))} (${fmt(get(f, 'batch.batchMs.p50'))} ms each)`,
      '50,000 (goal)',
      '',
    ],
    [
      '',
      `inclusion proof, ${fmt(get(f, 'transparency.treeSize'))} leaves: req/s (p50 / p99 ms)`,
      `${fmt(get(f, 'transparency.inclusion.reqPerS'))} (${pair(f, 'transparency.inclusion.latencyMs.p50', 'transparency.inclusion.latencyMs.p99')})`,
      `${fmt(get(f, 'transparency.trivial.reqPerS'))} (trivial route)`,
      fmt(get(f, 'transparency.ratio.inclusionReqPerS')),
    ],
    [
      '',
      'GET /v1/transparency/sth req/s (p50 / p99 ms)',
      `${fmt(get(f, 'transparency.sth.reqPerS'))} (${pair(f, 'transparency.sth.latencyMs.p50', 'transparency.sth.latencyMs.p99')})`,
      `${fmt(get(f, 'transparency.trivial.reqPerS'))} (trivial route)`,
      fmt(get(f, 'transparency.ratio.sthReqPerS')),
    ],
  ];
}

const ROWS: Record<string, (figures: unknown) => Row[]> = {
  lifecycle: lifecycleRows,
  append: appendRows,
  rebuild: rebuildRows,
  audit: auditRows,
  api: apiRows,
  memory: memoryRows,
  scale: scaleRows,
  verify: verifyRows,
};

export function summaryTable(
  results: readonly BenchResult[],
  run: { totalS: number; quick: boolean },
): string {
  const rows: Row[] = results.flatMap((result) => ROWS[result.bench]?.(result.figures) ?? []);
  const machine = results[0]?.machine;
  const loads = results.map((result) => result.machine.loadAverage1m);
  const header = machine
    ? `${run.quick ? 'Quick run' : 'Full run'} (${run.totalS} s) on ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}; 1-min load average ${Math.min(...loads)}–${Math.max(...loads)} during the run.`
    : 'No results.';
  const lines = [
    header,
    '',
    '| benchmark | figure | ours | baseline (same run) | ratio ours/baseline |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  return lines.join('\n');
}
