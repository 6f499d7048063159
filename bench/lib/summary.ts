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
    [
      '',
      'CPU ms per filing: Temporal server / bench process (worker, client)',
      pair(f, 'ours.cpuMsPerFiling.temporalServer', 'ours.cpuMsPerFiling.benchProcess'),
      pair(f, 'bare.cpuMsPerFiling.temporalServer', 'bare.cpuMsPerFiling.benchProcess'),
      '',
    ],
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
  return [
    [
      'audit',
      'replay + verify one filing p50 / p99 ms',
      pair(f, 'replayOneFilingMs.p50', 'replayOneFilingMs.p99'),
      '',
      '',
    ],
    [
      '',
      `verify --all events/s (${fmt(get(f, 'filings'))} filings, ${fmt(get(f, 'events'))} events)`,
      fmt(get(f, 'verifyAll.eventsPerS')),
      `${fmt(get(f, 'rawStreamReadEventsPerS'))} (raw stream reads)`,
      fmt(get(f, 'ratioVerifyAll')),
    ],
  ];
}

function apiRows(f: unknown): Row[] {
  return [
    [
      'api',
      `GET /v1/filings/:id req/s (${fmt(get(f, 'connections'))} connections)`,
      fmt(get(f, 'filing.reqPerS')),
      `${fmt(get(f, 'trivial.reqPerS'))} (trivial route)`,
      fmt(get(f, 'ratio.reqPerS')),
    ],
    [
      '',
      'GET /v1/filings/:id p50 / p99 ms',
      pair(f, 'filing.latencyMs.p50', 'filing.latencyMs.p99'),
      pair(f, 'trivial.latencyMs.p50', 'trivial.latencyMs.p99'),
      `${fmt(get(f, 'ratio.p50'))} / ${fmt(get(f, 'ratio.p99'))}`,
    ],
    [
      '',
      'trivial route behind the JWT guard, req/s',
      fmt(get(f, 'trivialAuth.reqPerS')),
      fmt(get(f, 'trivial.reqPerS')),
      fmt(get(f, 'ratio.trivialAuthReqPerS')),
    ],
    [
      '',
      'CPU ms per request: Temporal server / API process / load generator',
      `${pair(f, 'cpuMsPerRequest.filing.temporalServer', 'cpuMsPerRequest.filing.apiProcess')} / ${fmt(get(f, 'cpuMsPerRequest.filing.benchProcess'))}`,
      `${pair(f, 'cpuMsPerRequest.trivial.temporalServer', 'cpuMsPerRequest.trivial.apiProcess')} / ${fmt(get(f, 'cpuMsPerRequest.trivial.benchProcess'))}`,
      '',
    ],
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
  const n = fmt(get(f, 'filingsWaiting'));
  return [
    [
      'memory',
      `worker RSS MiB, idle → ${n} in bureau review`,
      `${fmt(get(f, 'worker.idle.rssMiB'))} → ${fmt(get(f, 'worker.loaded.rssMiB'))}`,
      `${fmt(get(f, 'worker.rssPerFilingKiB'))} KiB per filing`,
      '',
    ],
    [
      '',
      `API RSS MiB, idle → ${n} in bureau review`,
      `${fmt(get(f, 'api.idle.rssMiB'))} → ${fmt(get(f, 'api.loaded.rssMiB'))}`,
      `${fmt(get(f, 'api.rssPerFilingKiB'))} KiB per filing`,
      '',
    ],
    [
      '',
      'Temporal dev server RSS MiB',
      `${fmt(get(f, 'temporalServer.idleRssMiB'))} → ${fmt(get(f, 'temporalServer.loadedRssMiB'))}`,
      '',
      '',
    ],
  ];
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
