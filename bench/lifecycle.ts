import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { type IcpConfig, loadConfig } from '../infra/config/config';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { loadOrCreateSecret } from '../infra/secrets/local-secret';
import { filingDataConverter } from '../infra/temporal/payload-keys';
import { type ActivityDeps } from '../activities';
import { openActivityDeps, SMS_ANSWER_SECRET } from '../main/worker/activity-deps';
import { createWorker, WORKFLOWS_PATH } from '../main/worker/create-worker';
import { installWorkerRuntimeLogging } from '../main/worker/runtime-logging';
import { parseBenchArgs, size } from './lib/args';
import { createBareActivities } from './lib/bare-activities';
import {
  BareWorkflowTarget,
  type DriveOptions,
  driveFilings,
  DriveTimings,
  FilingWorkflowTarget,
  type FilingTarget,
  registerBenchSubjects,
  STAGES,
} from './lib/filing-drive';
import { eventLogWriteCost, projectReadModels, sqliteBytes, temporalHistory } from './lib/per-filing-costs';
import { CpuMeter } from './lib/proc-cpu';
import { emitResult, log, runBench } from './lib/report';
import { rate, ratio, summarize } from './lib/stats';
import { type BenchTemporal, startBenchTemporal } from './lib/temporal';

/**
 * Filings through every stage on the Temporal dev server (the provisioned CLI, as `npm start` runs
 * it): the filing workflow with the real worker and activities (SQLite event log, outbox, SMS codes,
 * number allocation, encrypted payloads), against a bare workflow of the same shape whose activities
 * and handlers do nothing (`bench/workflows/`), plain payloads. Both workers run in this process, both
 * driven by the same client code; rounds alternate between them. Afterwards, what a filing costs for
 * docs/capacity.md: CPU per filing by process (and of its event-log writes and read-model projection,
 * measured alone) and bytes stored per filing in the event log, Temporal's history and the read models.
 */
const NAME = 'lifecycle';
const CONCURRENCY = 10;
const WARMUP = 5;

const BARE_WORKFLOWS_PATH = require.resolve('./workflows');
type Side = 'ours' | 'bare';
type Meter = CpuMeter<'temporalServer' | 'benchProcess' | 'benchMainThread'>;

function sideFigures(timings: DriveTimings) {
  return {
    filings: timings.filings,
    failures: timings.failures.length,
    filingsPerS: rate(timings.filings, timings.wallMs),
    stagesMs: Object.fromEntries(STAGES.map((stage) => [stage, summarize(timings.stages[stage])])),
    totalMs: summarize(timings.totals),
    queriesPerFiling: Math.round((timings.queries / Math.max(1, timings.filings)) * 10) / 10,
    queryErrors: timings.queryErrors,
  };
}

interface Rig {
  config: IcpConfig;
  runId: string;
  queues: Record<Side, string>;
  clients: Record<Side, Client>;
  targets: Record<Side, FilingTarget>;
  /** Stops both workers and waits for them (so what is measured after sees no worker running). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** Both workers in this process, their task queues, clients and filing drivers. */
async function startRig(
  server: BenchTemporal,
  dataDir: string,
  deps: ActivityDeps,
  progress: (line: string) => void,
): Promise<Rig> {
  const runId = randomUUID();
  const config = loadConfig({ ICP_DATA_DIR: dataDir, TEMPORAL_ADDRESS: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const workers: Worker[] = [];
  const running: Array<Promise<void>> = [];
  const stopWorkers = async (): Promise<void> => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.allSettled(running);
  };
  const close = async (): Promise<void> => {
    await stopWorkers();
    await connection.close();
    await nativeConnection.close();
  };
  try {
    progress('bundling both workflows');
    const [oursBundle, bareBundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
      bundleWorkflowCode({ workflowsPath: BARE_WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
    ]);
    const queues = { ours: `bench-ours-${runId}`, bare: `bench-bare-${runId}` };
    const oursConfig = { ...config, temporal: { ...config.temporal, taskQueue: queues.ours } };
    workers.push(
      await createWorker(oursConfig, nativeConnection, deps, { workflowBundle: oursBundle }),
      await Worker.create({
        connection: nativeConnection,
        taskQueue: queues.bare,
        workflowBundle: bareBundle,
        activities: createBareActivities(),
      }),
    );
    for (const worker of workers) running.push(worker.run());
    const clients = {
      ours: new Client({ connection, dataConverter: filingDataConverter(config) }),
      bare: new Client({ connection }),
    };
    const smsSecret = loadOrCreateSecret(dataDir, SMS_ANSWER_SECRET);
    const targets = {
      ours: new FilingWorkflowTarget(clients.ours, queues.ours, dataDir, smsSecret, runId),
      bare: new BareWorkflowTarget(clients.bare, queues.bare, runId),
    };
    return { config, runId, queues, clients, targets, stopWorkers, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Two rounds each, alternating, so that other load on the machine falls on both alike. */
async function measureRounds(
  rig: Rig,
  server: BenchTemporal,
  filings: number,
  options: DriveOptions,
  progress: (line: string) => void,
): Promise<{ totals: Record<Side, DriveTimings>; meters: Record<Side, Meter> }> {
  const totals = { ours: new DriveTimings(), bare: new DriveTimings() };
  const meter = (): Meter =>
    new CpuMeter({ temporalServer: server.pid, benchProcess: 'self', benchMainThread: 'self-main-thread' });
  const meters = { ours: meter(), bare: meter() };
  const half = Math.ceil(filings / 2);
  for (const [from, to] of [
    [WARMUP, WARMUP + half],
    [WARMUP + half, WARMUP + filings],
  ] as const) {
    for (const side of from === WARMUP ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const)) {
      meters[side].start();
      const timings = await driveFilings(rig.targets[side], { from, to }, CONCURRENCY, options);
      meters[side].stop();
      totals[side].add(timings);
      progress(
        `  ${side}: ${timings.filings} filings in ${(timings.wallMs / 1000).toFixed(1)} s (${rate(timings.filings, timings.wallMs)} filings/s)${timings.failures.length ? `, ${timings.failures.length} failed: ${timings.failures[0]}` : ''}`,
      );
    }
  }
  const failures = [...totals.ours.failures, ...totals.bare.failures];
  if (failures.length > 0)
    throw new Error(`${failures.length} filings failed: ${failures.slice(0, 3).join('; ')}`);
  return { totals, meters };
}

const perFiling = (value: number, filings: number): number =>
  Math.round((value / Math.max(1, filings)) * 100) / 100;

/** Where the stores stood before the measured rounds, to take what those rounds added. */
interface StoreMarks {
  headPosition: number;
  eventLogBytes: number;
  readModelBytes: number;
}

async function markStores(dataDir: string, eventLog: SqliteEventLog): Promise<StoreMarks> {
  // The read models are brought up to date first, so the later catch-up projects only the measured rounds.
  const { file } = await projectReadModels(dataDir, eventLog, loadChineseCalendar());
  return {
    headPosition: await eventLog.headPosition(),
    eventLogBytes: sqliteBytes(join(dataDir, 'events.sqlite')),
    readModelBytes: sqliteBytes(file),
  };
}

/**
 * What the measured rounds' `filings` (ours) cost beyond the process CPU: bytes added to the event
 * log and the read models, Temporal history per workflow, and the CPU of the event-log writes and of
 * the read-model projection, each measured alone after the workers stopped.
 */
async function storageCosts(
  rig: Rig,
  dataDir: string,
  eventLog: SqliteEventLog,
  marks: StoreMarks,
  filings: number,
) {
  const eventLogBytes = sqliteBytes(join(dataDir, 'events.sqlite')) - marks.eventLogBytes;
  const history = {
    ours: await temporalHistory(rig.clients.ours, rig.queues.ours),
    bare: await temporalHistory(rig.clients.bare, rig.queues.bare),
  };
  await rig.stopWorkers();
  const projection = await projectReadModels(dataDir, eventLog, loadChineseCalendar());
  const readModelBytes = sqliteBytes(projection.file) - marks.readModelBytes;
  const writes = await eventLogWriteCost(eventLog, marks.headPosition);
  return {
    eventsPerFiling: perFiling(writes.events, filings),
    bytesPerFiling: {
      eventLog: Math.round(eventLogBytes / filings),
      readModels: Math.round(readModelBytes / filings),
      temporalHistory: history.ours.bytesPerWorkflow,
    },
    temporalHistory: history,
    cpuMsPerFilingAlone: {
      eventLogWrites: perFiling(writes.cpuMs, filings),
      readModelProjection: perFiling(projection.cpuMs, filings),
    },
  };
}

const NOTES = (pollMs: number): string[] => [
  'Temporal: the provisioned dev server (temporal server start-dev), in-memory store (see bench/lib/temporal.ts)',
  'ours: filingWorkflow with the real worker and activities (SQLite event log, outbox, SMS code store, number allocation, AES-GCM payload codec)',
  'bare: bench/workflows/bare-filing.workflow.ts — 16 activities, 3 updates with validators, 3 timed waits, a status query; every body does nothing; default payload converter',
  'stages, timed by the client: submission = start → platform_review; platformReview = update → sms_verification; smsVerification = code read from the outbox, sealed, update → bureau_review; bureauReviewToCompletion = update → workflow result (number issued, published, notified)',
  `the client polls the status query every ${pollMs} ms while waiting for the next stage (as the API does after a submission)`,
  'cpuMsPerFiling: CPU time (from /proc) per filing of the Temporal dev server, of this whole process (client, worker, workflow threads, activities, the event log’s SQLite: all in-process) and of its main thread alone (client, activities, SQLite; the workflow sandboxes, the Temporal core SDK and GC run on other threads)',
  'costs.cpuMsPerFilingAlone: after the workers stopped, this process’s CPU to append the measured rounds’ events again into a fresh SQLite log one event per append (an upper bound of the log’s share) and to project them into the read models (the API’s projector)',
  'costs.bytesPerFiling: what the measured rounds added to the event log and to the read models (SQLite used pages, dbstat, indexes included) ÷ filings; Temporal history bytes per workflow (historySize from the visibility list, warm-up included)',
  'ratio.filingsPerS = ours / bare (below 1: ours slower); ratio.*P50 = ours / bare latency (above 1: ours slower); ratio.cpuMsPerFiling = ours / bare CPU of the Temporal server and this process together',
];

/** Temporal server and bench process together. */
const cpuTotal = (cpu: { temporalServer: number; benchProcess: number }): number =>
  cpu.temporalServer + cpu.benchProcess;

function lifecycleFigures(
  filings: number,
  pollMs: number,
  measured: { totals: Record<Side, DriveTimings>; meters: Record<Side, Meter> },
  costs: Awaited<ReturnType<typeof storageCosts>>,
) {
  const ours = {
    ...sideFigures(measured.totals.ours),
    cpuMsPerFiling: measured.meters.ours.perOperation(filings),
  };
  const bare = {
    ...sideFigures(measured.totals.bare),
    cpuMsPerFiling: measured.meters.bare.perOperation(filings),
  };
  const stageRatios = STAGES.map((stage) => [
    `${stage}P50`,
    ratio(ours.stagesMs[stage]?.p50 ?? NaN, bare.stagesMs[stage]?.p50 ?? NaN),
  ]);
  return {
    filings,
    concurrency: CONCURRENCY,
    pollMs,
    ours,
    bare,
    costs,
    ratio: {
      filingsPerS: ratio(ours.filingsPerS, bare.filingsPerS),
      ...Object.fromEntries(stageRatios),
      totalP50: ratio(ours.totalMs.p50, bare.totalMs.p50),
      cpuMsPerFiling: ratio(cpuTotal(ours.cpuMsPerFiling), cpuTotal(bare.cpuMsPerFiling)),
    },
  };
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const filings = size(args, 500, 50);
  const options: DriveOptions = { pollMs: 10, until: 'completed' };
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-lifecycle-'));
  const progress = (line: string): void => log(NAME, line);
  progress('starting the Temporal dev server');
  const server = await startBenchTemporal(progress);
  installWorkerRuntimeLogging('WARN', undefined, { forwardCoreLogs: false });
  const eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'));
  const deps = await openActivityDeps(
    loadConfig({ ICP_DATA_DIR: dataDir, TEMPORAL_ADDRESS: server.address }),
    eventLog,
  );
  let rig: Rig | undefined;
  try {
    rig = await startRig(server, dataDir, deps.deps, progress);
    await registerBenchSubjects(eventLog, { from: 0, to: WARMUP + filings });
    progress(`warming up (${WARMUP} filings each)`);
    for (const side of ['bare', 'ours'] as const) {
      const warm = await driveFilings(rig.targets[side], { from: 0, to: WARMUP }, CONCURRENCY, options);
      if (warm.failures.length > 0)
        throw new Error(`warm-up failed: ${warm.failures.slice(0, 3).join('; ')}`);
    }
    const marks = await markStores(dataDir, eventLog);
    const measured = await measureRounds(rig, server, filings, options, progress);
    progress('measuring what a filing stored and what its writes and projection cost alone');
    const costs = await storageCosts(rig, dataDir, eventLog, marks, filings);
    emitResult(
      NAME,
      args,
      started,
      lifecycleFigures(filings, options.pollMs, measured, costs),
      NOTES(options.pollMs),
    );
  } finally {
    await rig?.close();
    await deps.close();
    await eventLog.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
