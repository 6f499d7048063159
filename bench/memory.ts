import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Database from 'better-sqlite3';
import { loadConfig } from '../infra/config/config';
import { freePort } from '../infra/process/net';
import { loadOrCreateSecret, localSecretsAsEnvironment } from '../infra/secrets/local-secret';
import { filingDataConverter } from '../infra/temporal/payload-keys';
import { SMS_CODE_PEPPER_SECRET } from '../infra/verification/sms-code-store';
import { SMS_ANSWER_SECRET } from '../main/worker/activity-deps';
import { READ_MODELS_FILE } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { parseBenchArgs, size } from './lib/args';
import { type ServerChild, startServerChild } from './lib/child';
import { driveFilings, FilingWorkflowTarget } from './lib/filing-drive';
import { profileDir } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { rate } from './lib/stats';
import { rssMiB, startBenchTemporal } from './lib/temporal';

/**
 * Resident memory of a worker process (`icp worker`) and an API process (`icp api`, with the
 * projector in-process) on the dev server, idle and then with 5,000 filings (quick: 200) waiting in
 * bureau review — each an open workflow the worker keeps cached, each a row in the read models.
 */
const NAME = 'memory';
const MiB = 2 ** 20;

const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;

async function snapshot(child: ServerChild) {
  const { usage } = await child.memory();
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

/**
 * How many workflows the worker keeps cached by default: @temporalio/worker 1.24 (worker-options.js,
 * reuseV8Context) allows floor((heap limit MiB − 200) × 600 / 1024); beyond it, least recently used
 * workflows are evicted and replayed from history when they next get a task.
 */
function defaultWorkflowCacheSize(heapLimitBytes: number): number {
  return Math.max(Math.floor((Math.max(heapLimitBytes / MiB - 200, 0) * 600) / 1024), 10);
}

/** Filings the API's read models show in bureau review (its projector runs in the API process). */
function projectedInBureauReview(dataDir: string): number {
  const file = join(dataDir, READ_MODELS_FILE);
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare("SELECT count(*) AS n FROM filing_summary WHERE status = 'bureau_review'").get() as {
        n: number;
      }
    ).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const filings = size(args, 5_000, 200);
  const concurrency = 50;
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-memory-'));
  const progress = (line: string): void => log(NAME, line);
  // Every secret exists before the processes start, so none of them races to create one.
  for (const name of ['payload-key', SMS_ANSWER_SECRET, SMS_CODE_PEPPER_SECRET, 'jwt'])
    loadOrCreateSecret(dataDir, name);
  progress('starting the Temporal dev server');
  const server = await startBenchTemporal(progress);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ICP_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: server.address,
    ...localSecretsAsEnvironment(dataDir),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
  };
  const config = loadConfig(env);
  const children: ServerChild[] = [];
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: server.address });
    progress('starting `icp worker` and `icp api` processes');
    const profiles = args.profile ? profileDir(NAME) : undefined;
    const worker = await startServerChild('worker', env, { profileDir: profiles });
    children.push(worker);
    const api = await startServerChild('api', env, { profileDir: profiles });
    children.push(api);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const workflowCacheSize = defaultWorkflowCacheSize((await worker.memory()).heapLimit);
    const idle = {
      worker: await snapshot(worker),
      api: await snapshot(api),
      temporalRssMiB: rssMiB(server.pid),
    };
    progress(
      `idle: worker ${idle.worker.rssMiB} MiB, api ${idle.api.rssMiB} MiB, Temporal ${idle.temporalRssMiB} MiB`,
    );

    const target = new FilingWorkflowTarget(
      new Client({ connection, dataConverter: filingDataConverter(config) }),
      config.temporal.taskQueue,
      dataDir,
      loadOrCreateSecret(dataDir, SMS_ANSWER_SECRET),
      randomUUID(),
    );
    progress(`driving ${filings} filings into bureau review (${concurrency} at a time)`);
    const drive = await driveFilings(target, { from: 0, to: filings }, concurrency, {
      pollMs: 100,
      adaptiveFirstPoll: true,
      until: 'bureau_review',
      timeoutMs: 600_000,
    });
    if (drive.failures.length > 0) {
      throw new Error(`${drive.failures.length} filings failed: ${drive.failures.slice(0, 3).join('; ')}`);
    }
    progress(
      `  ${drive.filings} filings in ${(drive.wallMs / 1000).toFixed(1)} s; waiting for the read models`,
    );
    const deadline = Date.now() + 120_000;
    while (projectedInBureauReview(dataDir) < filings && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const projected = projectedInBureauReview(dataDir);
    const loaded = {
      worker: await snapshot(worker),
      api: await snapshot(api),
      temporalRssMiB: rssMiB(server.pid),
    };
    progress(
      `${filings} waiting: worker ${loaded.worker.rssMiB} MiB, api ${loaded.api.rssMiB} MiB, Temporal ${loaded.temporalRssMiB} MiB`,
    );
    const perFilingKiB = (before: number, after: number): number =>
      Math.round(((after - before) * 1024 * 10) / filings) / 10;
    emitResult(
      NAME,
      args,
      started,
      {
        filingsWaiting: filings,
        projectedInBureauReview: projected,
        worker: {
          idle: idle.worker,
          loaded: loaded.worker,
          rssPerFilingKiB: perFilingKiB(idle.worker.rssMiB, loaded.worker.rssMiB),
          workflowCacheSize,
        },
        api: {
          idle: idle.api,
          loaded: loaded.api,
          rssPerFilingKiB: perFilingKiB(idle.api.rssMiB, loaded.api.rssMiB),
        },
        temporalServer: { idleRssMiB: idle.temporalRssMiB, loadedRssMiB: loaded.temporalRssMiB },
        drive: { filingsPerS: rate(drive.filings, drive.wallMs), concurrency },
      },
      [
        'worker: bench/procs/serve.ts worker = `icp worker` (startWorkerOnly); api: serve.ts api = `icp api` (startHttpApp, worker: false, projector in-process); separate processes on one data directory',
        'memory is read in each process after a full GC (node --expose-gc): rss, V8 heap used, external (Buffers and native)',
        `worker.workflowCacheSize: the SDK's default cache of open workflows for this heap limit (${workflowCacheSize}); past it, RSS stops growing with filings and evicted workflows replay from history on their next task`,
        'filings are driven with the Temporal client (start, platform review, SMS answer from the outbox) until each waits in bureau review; rssPerFilingKiB = (loaded − idle) / filings',
      ],
    );
  } finally {
    for (const child of children.reverse()) await child.stop();
    await connection?.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
