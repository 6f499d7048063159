import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import Database from 'better-sqlite3';
import { type IcpConfig, loadConfig, WORKER_TUNING_DEFAULTS } from '../infra/config/config';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { freePort } from '../infra/process/net';
import { READ_MODELS_FILE } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { loadOrCreateSecret, localSecretsAsEnvironment } from '../infra/secrets/local-secret';
import { filingDataConverter } from '../infra/temporal/payload-keys';
import { SMS_CODE_PEPPER_SECRET } from '../infra/verification/sms-code-store';
import { SMS_ANSWER_SECRET } from '../main/worker/activity-deps';
import { type BenchArgs, parseBenchArgs, size } from './lib/args';
import { type ServerChild, startServerChild } from './lib/child';
import { driveFilings, FilingWorkflowTarget, registerBenchSubjects } from './lib/filing-drive';
import { profileDir } from './lib/profiling';
import { BENCH_DIR, emitResult, log, runBench } from './lib/report';
import { type LatencySummary, rate, ratio, runPool, summarize } from './lib/stats';
import { type BenchTemporal, rssMiB, startBenchTemporal } from './lib/temporal';

/**
 * Resident memory of a worker process (`icp worker`, default cache and concurrency) and an API process
 * (`icp api`, projector in-process) on the dev server: idle, beside a worker running only the bare
 * workflow, then with 1k / 5k / 20k filings (quick 150 / 300) waiting in bureau review — each an open
 * workflow. Then the eviction curve: for several cache sizes, a fresh worker's RSS with its cache full
 * and the latency of a `status` query on a cached filing against one whose workflow was evicted and
 * replays its history to answer — what a bounded cache costs, the figure the default is chosen from.
 */
const NAME = 'memory';
const MiB = 2 ** 20;
const progress = (line: string): void => log(NAME, line);
const statusQuery = defineQuery<{ status: string }>('status');

const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;

interface Sizes {
  waiting: number[];
  cacheSizes: number[];
  /** Filings queried per side (cached, evicted) at each cache size. */
  sample: number;
  /** Filings driven at once. */
  driveConcurrency: number;
}

/** BENCH_MEMORY_WAITING=1000,2000 measures other sizes than the full or quick ones. */
function waitingSizes(args: BenchArgs): number[] {
  const raw = process.env.BENCH_MEMORY_WAITING;
  if (!raw) return size(args, [1_000, 5_000, 20_000], [150, 300]);
  const sizes = raw.split(',').map(Number);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`BENCH_MEMORY_WAITING: must be whole numbers separated by commas, got "${raw}"`);
  return sizes.sort((a, b) => a - b);
}

function sizesFor(args: BenchArgs): Sizes {
  const chosen = WORKER_TUNING_DEFAULTS.cachedWorkflows;
  const cacheSizes = size(args, [0, 50, 500, 2_000], [0, 50]);
  return {
    waiting: waitingSizes(args),
    cacheSizes: [...new Set([...cacheSizes, chosen])].sort((a, b) => a - b),
    sample: size(args, 200, 50),
    // Below the default cache, so every filing being driven stays cached between its steps.
    driveConcurrency: Math.min(50, chosen),
  };
}

async function snapshot(child: ServerChild) {
  const { usage } = await child.memory();
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

/** Filings the API's read models show in bureau review (its projector runs in the API process). */
function projectedInBureauReview(dataDir: string): number {
  const file = join(dataDir, READ_MODELS_FILE);
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT count(*) AS n FROM filing_summary WHERE status = 'bureau_review'")
      .get() as { n: number };
    return row.n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function waitForReadModels(dataDir: string, filings: number): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (projectedInBureauReview(dataDir) < filings && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return projectedInBureauReview(dataDir);
}

/** The environment of every process: one data directory, its secrets made before any starts. */
async function benchEnvironment(dataDir: string, server: BenchTemporal): Promise<NodeJS.ProcessEnv> {
  for (const name of ['payload-key', SMS_ANSWER_SECRET, SMS_CODE_PEPPER_SECRET, 'jwt'])
    loadOrCreateSecret(dataDir, name);
  return {
    ...process.env,
    ICP_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: server.address,
    ...localSecretsAsEnvironment(dataDir),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    // The processes log JSON at info once TEMPORAL_ADDRESS is set: only warnings and errors here.
    ICP_LOG_LEVEL: process.env.ICP_LOG_LEVEL ?? 'warn',
    ICP_WORKER_CACHE_WORKFLOWS: undefined,
    ICP_WORKER_WORKFLOW_TASKS: undefined,
    ICP_WORKER_ACTIVITIES: undefined,
  };
}

/** Status query latencies, one at a time, so each is the filing's own cost. */
async function queryLatencies(client: Client, workflowIds: readonly string[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const workflowId of workflowIds) {
    const started = performance.now();
    await client.workflow.getHandle(workflowId).query(statusQuery);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

interface Bench {
  args: BenchArgs;
  sizes: Sizes;
  env: NodeJS.ProcessEnv;
  config: IcpConfig;
  dataDir: string;
  server: BenchTemporal;
  client: Client;
  target: FilingWorkflowTarget;
  children: ServerChild[];
}

async function start(bench: Bench, role: 'api' | 'worker', env = bench.env): Promise<ServerChild> {
  const profiles = bench.args.profile ? profileDir(NAME) : undefined;
  const child = await startServerChild(role, env, { profileDir: profiles });
  bench.children.push(child);
  return child;
}

async function stop(bench: Bench, child: ServerChild): Promise<void> {
  await child.stop();
  bench.children.splice(bench.children.indexOf(child), 1);
}

/** Idle RSS of the bare workflow's worker, started and stopped on its own. */
async function bareWorkerIdle(bench: Bench) {
  const script = join(BENCH_DIR, 'procs', 'bare-worker.ts');
  const bare = await startServerChild('worker', bench.env, { script });
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return await snapshot(bare);
  } finally {
    await bare.stop();
  }
}

/** Drives filings cumulatively to each size and reads every process's memory there. */
async function waitingCurve(bench: Bench, worker: ServerChild, api: ServerChild, idleWorkerRss: number) {
  const points = [];
  let driven = 0;
  for (const waiting of bench.sizes.waiting) {
    progress(
      `driving filings ${driven}…${waiting - 1} into bureau review (${bench.sizes.driveConcurrency} at a time)`,
    );
    const drive = await driveFilings(
      bench.target,
      { from: driven, to: waiting },
      bench.sizes.driveConcurrency,
      {
        pollMs: 100,
        adaptiveFirstPoll: true,
        until: 'bureau_review',
        timeoutMs: 600_000,
      },
    );
    if (drive.failures.length > 0) {
      throw new Error(`${drive.failures.length} filings failed: ${drive.failures.slice(0, 3).join('; ')}`);
    }
    driven = waiting;
    const workerNow = await snapshot(worker);
    const point = {
      waiting,
      worker: workerNow,
      workerRssOverIdle: ratio(workerNow.rssMiB, idleWorkerRss),
      api: await snapshot(api),
      temporalRssMiB: rssMiB(bench.server.pid),
      drive: { filingsPerS: rate(drive.filings, drive.wallMs), queries: drive.queries },
    };
    progress(
      `  ${waiting} waiting: worker ${point.worker.rssMiB} MiB (${point.workerRssOverIdle}× idle), api ${point.api.rssMiB} MiB, Temporal ${point.temporalRssMiB} MiB; drove ${point.drive.filingsPerS} filings/s`,
    );
    points.push(point);
  }
  return points;
}

/**
 * A fresh worker with `cache` workflows: queries the newest `cache + sample` waiting filings in order
 * (each replays once and enters the cache), reads its RSS, then times `sample` queries on the last
 * ones touched (cached) and on the first ones touched (evicted since, least recently used).
 */
async function evictionPoint(bench: Bench, cache: number, waiting: number) {
  const env = { ...bench.env, ICP_WORKER_CACHE_WORKFLOWS: String(cache) };
  const worker = await start(bench, 'worker', env);
  try {
    const { sample } = bench.sizes;
    const touched = Math.min(waiting, cache + sample);
    const ids = Array.from({ length: touched }, (_, i) => bench.target.workflowId(waiting - touched + i));
    const warmStarted = performance.now();
    await runPool(ids.length, 4, async (i) => {
      await bench.client.workflow.getHandle(ids[i] as string).query(statusQuery);
    });
    const warmMs = performance.now() - warmStarted;
    const rss = (await snapshot(worker)).rssMiB;
    const cachedIds = cache === 0 ? [] : ids.slice(-Math.min(sample, cache, touched));
    const evictedIds = ids.slice(0, Math.min(sample, Math.max(touched - cache, 0)));
    const cached = cachedIds.length ? summarize(await queryLatencies(bench.client, cachedIds)) : undefined;
    const evicted = evictedIds.length ? summarize(await queryLatencies(bench.client, evictedIds)) : undefined;
    return {
      cache,
      cachedNow: Math.min(cache, touched),
      rssMiB: rss,
      firstQueryMsEach: Math.round((warmMs / touched) * 10) / 10,
      cachedQueryMs: cached,
      evictedQueryMs: evicted,
      evictedOverCachedP50: ratio(evicted?.p50 ?? Number.NaN, cached?.p50 ?? Number.NaN),
    };
  } finally {
    await stop(bench, worker);
  }
}

async function evictionCurve(bench: Bench, waiting: number) {
  const points = [];
  for (const cache of bench.sizes.cacheSizes) {
    progress(`eviction curve: a worker caching ${cache} workflows, ${waiting} waiting`);
    const point = await evictionPoint(bench, cache, waiting);
    progress(
      `  RSS ${point.rssMiB} MiB with ${point.cachedNow} cached; status query p50/p99 ms cached ${fmtLatency(point.cachedQueryMs)}, evicted ${fmtLatency(point.evictedQueryMs)}`,
    );
    points.push(point);
  }
  return points;
}

const fmtLatency = (summary: LatencySummary | undefined): string =>
  summary ? `${summary.p50}/${summary.p99}` : '—';

/** KiB of worker RSS per cached workflow: the slope from no cache to the largest cache filled. */
function perCachedWorkflowKiB(points: Array<{ cachedNow: number; rssMiB: number }>): number {
  const none = points.find((point) => point.cachedNow === 0);
  const most = points.reduce((a, b) => (b.cachedNow > a.cachedNow ? b : a));
  if (!none || most.cachedNow === 0) return Number.NaN;
  return Math.round(((most.rssMiB - none.rssMiB) * 1024) / most.cachedNow);
}

async function measure(bench: Bench) {
  progress('starting `icp worker` (default cache and concurrency) and `icp api` processes');
  const worker = await start(bench, 'worker');
  const api = await start(bench, 'api');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idle = {
    worker: await snapshot(worker),
    bareWorker: await bareWorkerIdle(bench),
    api: await snapshot(api),
    temporalRssMiB: rssMiB(bench.server.pid),
  };
  progress(
    `idle: worker ${idle.worker.rssMiB} MiB (bare workflow's worker ${idle.bareWorker.rssMiB}), api ${idle.api.rssMiB} MiB, Temporal ${idle.temporalRssMiB} MiB`,
  );
  const waiting = await waitingCurve(bench, worker, api, idle.worker.rssMiB);
  const most = bench.sizes.waiting[bench.sizes.waiting.length - 1] as number;
  const projected = await waitForReadModels(bench.dataDir, most);
  await stop(bench, worker);
  const eviction = await evictionCurve(bench, most);
  return { idle, waiting, projected, eviction };
}

function figures(bench: Bench, measured: Awaited<ReturnType<typeof measure>>) {
  const { idle, waiting, projected, eviction } = measured;
  return {
    tuning: bench.config.worker,
    idle: { ...idle, workerOverBareWorkerRss: ratio(idle.worker.rssMiB, idle.bareWorker.rssMiB) },
    waiting,
    projectedInBureauReview: projected,
    eviction: {
      waiting: bench.sizes.waiting[bench.sizes.waiting.length - 1],
      points: eviction,
      rssPerCachedWorkflowKiB: perCachedWorkflowKiB(eviction),
    },
    drive: { concurrency: bench.sizes.driveConcurrency },
    goals: { rssOverIdleAt5k: 1.3, rssOverIdleAt20k: 1.5 },
  };
}

const NOTES = [
  'worker: bench/procs/serve.ts worker = `icp worker` (startWorkerOnly) with the default ICP_WORKER_* tuning; api: serve.ts api = `icp api` (projector in-process); bare worker: bench/procs/bare-worker.ts, the bare workflow and do-nothing activities with the same tuning; separate processes on one data directory',
  'memory is read in each process after a full GC of its main isolate (node --expose-gc): rss, V8 heap used, external; the workflow thread has its own isolate, part of rss',
  'waiting: filings driven cumulatively with the Temporal client (start, platform review, SMS answer from the outbox) until each waits in bureau review; workerRssOverIdle = worker rss ÷ the same worker idle (goals 1.3 at 5,000, 1.5 at 20,000)',
  'eviction: a fresh worker per cache size; the newest cache + sample waiting filings queried in order (firstQueryMsEach: each replays once, 4 at a time); then one at a time, status on the last ones touched (cachedQueryMs) and on the first (evictedQueryMs: evicted since, so the worker fetches and replays the history to answer)',
];

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const sizes = sizesFor(args);
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-memory-'));
  progress('starting the Temporal dev server');
  const server = await startBenchTemporal(progress);
  let connection: Connection | undefined;
  const children: ServerChild[] = [];
  try {
    const env = await benchEnvironment(dataDir, server);
    const config = loadConfig(env);
    const eventLog = new SqliteEventLog(config.eventLog.url.replace(/^sqlite:/, ''));
    await registerBenchSubjects(eventLog, { from: 0, to: sizes.waiting[sizes.waiting.length - 1] as number });
    await eventLog.close();
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, dataConverter: filingDataConverter(config) });
    const secret = loadOrCreateSecret(dataDir, SMS_ANSWER_SECRET);
    const target = new FilingWorkflowTarget(client, config.temporal.taskQueue, dataDir, secret, randomUUID());
    const bench: Bench = { args, sizes, env, config, dataDir, server, client, target, children };
    emitResult(NAME, args, started, figures(bench, await measure(bench)), NOTES);
  } finally {
    for (const child of children.reverse()) await child.stop();
    await connection?.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
