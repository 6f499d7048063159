import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../infra/config/config';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { loadOrCreateSecret } from '../infra/secrets/local-secret';
import { filingDataConverter } from '../infra/temporal/payload-keys';
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
import { CpuMeter } from './lib/proc-cpu';
import { emitResult, log, runBench } from './lib/report';
import { rate, ratio, summarize } from './lib/stats';
import { startBenchTemporal } from './lib/temporal';

/**
 * Filings through every stage on the Temporal dev server (the provisioned CLI, as `npm start` runs
 * it): the filing workflow with the real worker and activities (SQLite event log, outbox, SMS codes,
 * number allocation, encrypted payloads), against a bare workflow of the same shape whose activities
 * and handlers do nothing (`bench/workflows/`), plain payloads. Both workers run in this process, both
 * driven by the same client code; rounds alternate between them.
 */
const NAME = 'lifecycle';

const BARE_WORKFLOWS_PATH = require.resolve('./workflows');

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

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const filings = size(args, 500, 50);
  const concurrency = 10;
  const warmup = 5;
  const options: DriveOptions = { pollMs: 10, until: 'completed' };
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-lifecycle-'));
  const runId = randomUUID();
  const progress = (line: string): void => log(NAME, line);

  progress('starting the Temporal dev server');
  const server = await startBenchTemporal(progress);
  installWorkerRuntimeLogging('WARN', undefined, { forwardCoreLogs: false });
  const config = loadConfig({ ICP_DATA_DIR: dataDir, TEMPORAL_ADDRESS: server.address });
  const eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'));
  const deps = await openActivityDeps(config, eventLog);
  const running: Array<Promise<void>> = [];
  const workers: Worker[] = [];
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  try {
    nativeConnection = await NativeConnection.connect({ address: server.address });
    connection = await Connection.connect({ address: server.address });
    progress('bundling both workflows');
    const [oursBundle, bareBundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
      bundleWorkflowCode({ workflowsPath: BARE_WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
    ]);
    const oursQueue = `bench-ours-${runId}`;
    const bareQueue = `bench-bare-${runId}`;
    workers.push(
      await createWorker(
        { ...config, temporal: { ...config.temporal, taskQueue: oursQueue } },
        nativeConnection,
        deps.deps,
        { workflowBundle: oursBundle },
      ),
      await Worker.create({
        connection: nativeConnection,
        taskQueue: bareQueue,
        workflowBundle: bareBundle,
        activities: createBareActivities(),
      }),
    );
    for (const worker of workers) running.push(worker.run());

    await registerBenchSubjects(eventLog, { from: 0, to: filings });
    const ours: FilingTarget = new FilingWorkflowTarget(
      new Client({ connection, dataConverter: filingDataConverter(config) }),
      oursQueue,
      dataDir,
      loadOrCreateSecret(dataDir, SMS_ANSWER_SECRET),
      runId,
    );
    const bare: FilingTarget = new BareWorkflowTarget(new Client({ connection }), bareQueue, runId);

    progress(`warming up (${warmup} filings each)`);
    for (const target of [bare, ours]) {
      const warm = await driveFilings(target, { from: 0, to: warmup }, concurrency, options);
      if (warm.failures.length > 0)
        throw new Error(`warm-up failed: ${warm.failures.slice(0, 3).join('; ')}`);
    }

    // Two rounds each, alternating, so that other load on the machine falls on both alike.
    const totals = { ours: new DriveTimings(), bare: new DriveTimings() };
    const meters = {
      ours: new CpuMeter({ temporalServer: server.pid, benchProcess: 'self' }),
      bare: new CpuMeter({ temporalServer: server.pid, benchProcess: 'self' }),
    };
    const half = Math.ceil(filings / 2);
    for (const [from, to] of [
      [warmup, warmup + half],
      [warmup + half, warmup + filings],
    ] as const) {
      for (const target of from === warmup ? [bare, ours] : [ours, bare]) {
        const side = target.label as 'ours' | 'bare';
        meters[side].start();
        const timings = await driveFilings(target, { from, to }, concurrency, options);
        meters[side].stop();
        totals[side].add(timings);
        progress(
          `  ${target.label}: ${timings.filings} filings in ${(timings.wallMs / 1000).toFixed(1)} s (${rate(timings.filings, timings.wallMs)} filings/s)${timings.failures.length ? `, ${timings.failures.length} failed: ${timings.failures[0]}` : ''}`,
        );
      }
    }
    const oursFigures = { ...sideFigures(totals.ours), cpuMsPerFiling: meters.ours.perOperation(filings) };
    const bareFigures = { ...sideFigures(totals.bare), cpuMsPerFiling: meters.bare.perOperation(filings) };
    const failures = [...totals.ours.failures, ...totals.bare.failures];
    if (failures.length > 0)
      throw new Error(`${failures.length} filings failed: ${failures.slice(0, 3).join('; ')}`);
    emitResult(
      NAME,
      args,
      started,
      {
        filings,
        concurrency,
        pollMs: options.pollMs,
        ours: oursFigures,
        bare: bareFigures,
        ratio: {
          filingsPerS: ratio(oursFigures.filingsPerS, bareFigures.filingsPerS),
          ...Object.fromEntries(
            STAGES.map((stage) => [
              `${stage}P50`,
              ratio(oursFigures.stagesMs[stage]?.p50 ?? NaN, bareFigures.stagesMs[stage]?.p50 ?? NaN),
            ]),
          ),
          totalP50: ratio(oursFigures.totalMs.p50, bareFigures.totalMs.p50),
        },
      },
      [
        'Temporal: the provisioned dev server (temporal server start-dev), in-memory store (see bench/lib/temporal.ts)',
        'ours: filingWorkflow with the real worker and activities (SQLite event log, outbox, SMS code store, number allocation, AES-GCM payload codec)',
        'bare: bench/workflows/bare-filing.workflow.ts — 16 activities, 3 updates with validators, 3 timed waits, a status query; every body does nothing; default payload converter',
        'stages, timed by the client: submission = start → platform_review; platformReview = update → sms_verification; smsVerification = code read from the outbox, sealed, update → bureau_review; bureauReviewToCompletion = update → workflow result (number issued, published, notified)',
        `the client polls the status query every ${options.pollMs} ms while waiting for the next stage (as the API does after a submission)`,
        'cpuMsPerFiling: CPU time (all threads, from /proc) per filing of the Temporal dev server and of this process (client, worker, workflow threads, activities)',
        'ratio.filingsPerS = ours / bare (below 1: ours slower); ratio.*P50 = ours / bare latency (above 1: ours slower)',
      ],
    );
  } finally {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.allSettled(running);
    await connection?.close();
    await nativeConnection?.close();
    await deps.close();
    await eventLog.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
