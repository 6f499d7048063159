import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { createTokenVerifier } from '../infra/auth/token-verifier';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { freePort } from '../infra/process/net';
import { loadOrCreateSecret, localSecretsAsEnvironment } from '../infra/secrets/local-secret';
import { openReadModels } from '../main/read-models';
import { parseBenchArgs, size } from './lib/args';
import { combine, type Load, load } from './lib/http-load';
import { CpuMeter } from './lib/proc-cpu';
import { profileDir } from './lib/profiling';
import { SERVICES_PER_SUBJECT, packageNameOf, seedRegistry, signatureMd5Of } from './lib/registry-seed';
import { emitResult, log, runBench } from './lib/report';
import { ratio, summarize } from './lib/stats';
import { startVerifyServer, type VerifyServer } from './lib/verify-server';

/**
 * Issue 19's performance goals: `GET /v1/verify` at 50 connections against the trivial route of the
 * same server, with 10k, 100k and 1M registered services (quick: 10k and 100k); `POST /v1/verify/batch`
 * of 10,000 items; inclusion proofs and the signed tree head of the registry's transparency tree at
 * the largest size (1.1M leaves; quick 110k). The server is the production API (no worker) over a
 * SQLite event log and read models seeded by bench/lib/registry-seed.ts, restarted at each size.
 */
const NAME = 'verify';
const CONNECTIONS = 50;
const BATCH_ITEMS = 10_000;
/** Share of questions about identifiers nobody registered. */
const UNREGISTERED_SHARE = 0.1;
const ROUNDS = 4;

/** A registered app's package and signature, or an unregistered package: the questions stores ask. */
function question(services: number, index: number): { packageName: string; signatureMd5?: string } {
  if (Math.random() < UNREGISTERED_SHARE) return { packageName: `com.unregistered.app${index}` };
  const packageName = packageNameOf(Math.floor(Math.random() * services));
  return { packageName, signatureMd5: signatureMd5Of(packageName) };
}

function verifyPaths(services: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const { packageName, signatureMd5 } = question(services, index);
    const signature = signatureMd5 ? `&signatureMd5=${signatureMd5}` : '';
    return `/v1/verify?packageName=${encodeURIComponent(packageName)}${signature}`;
  });
}

/** Cycles through `paths` on GET with `headers`. */
function cycling(paths: readonly string[], headers?: Record<string, string>): autocannon.Request {
  let next = 0;
  return {
    method: 'GET',
    headers,
    setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] as string }),
  };
}

interface Context {
  base: string;
  durationS: number;
  auth: Record<string, string>;
  server: VerifyServer;
  profile: boolean;
}

type CpuPerRequest = Record<'server' | 'loadGenerator', number>;

/**
 * Routes measured in ROUNDS rounds, in turn forwards and backwards, so drift on the machine falls on
 * all alike; each route's figures are the median of its rounds.
 */
async function measureRoutes<K extends string>(
  context: Context,
  routes: Record<K, autocannon.Request>,
  profiled: string | undefined,
  label: string,
): Promise<Record<K, Load & { cpuMsPerRequest: CpuPerRequest }>> {
  const names = Object.keys(routes) as K[];
  const runs = Object.fromEntries(names.map((name) => [name, [] as Load[]])) as Record<K, Load[]>;
  const meters = Object.fromEntries(
    names.map((name) => [name, new CpuMeter({ server: context.server.pid, loadGenerator: 'self' })]),
  ) as Record<K, CpuMeter<keyof CpuPerRequest>>;
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const profiling = context.profile && name === profiled;
      if (profiling) await context.server.startProfile();
      meters[name].start();
      const run = await load(context.base, context.durationS, routes[name], CONNECTIONS);
      meters[name].stop();
      if (profiling) {
        const file = join(profileDir(NAME), `${label}-${name}-${runs[name].length + 1}.cpuprofile`);
        await context.server.stopProfile(file);
      }
      runs[name].push(run);
      log(
        NAME,
        `  ${label} ${name}: ${run.reqPerS} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms`,
      );
      if (run.non2xx + run.errors > 0)
        throw new Error(`${name}: ${run.non2xx} non-2xx answers, ${run.errors} errors`);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const combined = combine(runs[name]);
      return [name, { ...combined, cpuMsPerRequest: meters[name].perOperation(combined.requests) }];
    }),
  ) as Record<K, Load & { cpuMsPerRequest: CpuPerRequest }>;
}

async function measureVerify(context: Context, services: number) {
  const routes = {
    trivial: { method: 'GET', path: '/bench/trivial' } as autocannon.Request,
    verify: cycling(verifyPaths(services, 20_000), context.auth),
    trivialAuth: { method: 'GET', path: '/bench/trivial-auth', headers: context.auth } as autocannon.Request,
  };
  await load(context.base, 2, routes.verify, CONNECTIONS);
  const loads = await measureRoutes(context, routes, 'verify', `${services}`);
  return {
    services,
    ...loads,
    ratio: {
      reqPerS: ratio(loads.verify.reqPerS, loads.trivial.reqPerS),
      reqPerSVsTrivialAuth: ratio(loads.verify.reqPerS, loads.trivialAuth.reqPerS),
      p99: ratio(loads.verify.latencyMs.p99, loads.trivial.latencyMs.p99),
      serverCpuPerRequest: ratio(loads.verify.cpuMsPerRequest.server, loads.trivial.cpuMsPerRequest.server),
      serverCpuPerRequestVsTrivialAuth: ratio(
        loads.verify.cpuMsPerRequest.server,
        loads.trivialAuth.cpuMsPerRequest.server,
      ),
    },
  };
}

/** Batches of 10,000 questions, one at a time, for the run's duration (at least three). */
async function measureBatch(context: Context, services: number) {
  const bodies = Array.from({ length: 4 }, (_, round) =>
    JSON.stringify({
      items: Array.from({ length: BATCH_ITEMS }, (_, index) =>
        question(services, round * BATCH_ITEMS + index),
      ),
    }),
  );
  const post = async (body: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${context.base}/v1/verify/batch`, {
      method: 'POST',
      headers: { ...context.auth, 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { items?: unknown[] };
    if (response.status !== 200 || answer.items?.length !== BATCH_ITEMS)
      throw new Error(`POST /v1/verify/batch answered ${response.status}`);
    return performance.now() - started;
  };
  await post(bodies[0] as string);
  if (context.profile) await context.server.startProfile();
  const latencies: number[] = [];
  const until = performance.now() + context.durationS * 1000;
  while (latencies.length < 3 || performance.now() < until)
    latencies.push(await post(bodies[latencies.length % bodies.length] as string));
  if (context.profile) await context.server.stopProfile(join(profileDir(NAME), 'batch.cpuprofile'));
  const totalMs = latencies.reduce((sum, ms) => sum + ms, 0);
  return {
    items: BATCH_ITEMS,
    batches: latencies.length,
    bodyBytes: Buffer.byteLength(bodies[0] as string),
    itemsPerS: Math.round((latencies.length * BATCH_ITEMS * 1000) / totalMs),
    batchMs: summarize(latencies),
  };
}

/** Inclusion proofs of random leaves (by index) and the signed tree head, against the trivial route. */
async function measureTransparency(context: Context, treeSize: number) {
  const paths = Array.from(
    { length: 20_000 },
    () => `/v1/transparency/proof/inclusion?leaf=${Math.floor(Math.random() * treeSize)}`,
  );
  const routes = {
    trivial: { method: 'GET', path: '/bench/trivial' } as autocannon.Request,
    inclusion: cycling(paths),
    sth: { method: 'GET', path: '/v1/transparency/sth' } as autocannon.Request,
  };
  await load(context.base, 2, routes.inclusion, CONNECTIONS);
  const loads = await measureRoutes(context, routes, 'inclusion', 'transparency');
  return {
    treeSize,
    ...loads,
    ratio: {
      inclusionReqPerS: ratio(loads.inclusion.reqPerS, loads.trivial.reqPerS),
      sthReqPerS: ratio(loads.sth.reqPerS, loads.trivial.reqPerS),
      inclusionServerCpuPerRequest: ratio(
        loads.inclusion.cpuMsPerRequest.server,
        loads.trivial.cpuMsPerRequest.server,
      ),
    },
  };
}

/** Polls the signed tree head until the background refresher has signed one of `leaves` leaves. */
async function signedHeadOf(base: string, leaves: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${base}/v1/transparency/sth`).catch(() => undefined);
    const head = response?.ok ? ((await response.json()) as { treeSize: number }) : undefined;
    if (head && head.treeSize >= leaves) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const sizes = size(args, [10_000, 100_000, 1_000_000], [10_000, 100_000]);
  const durationS = size(args, 5, 2);
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-verify-'));
  const progress = (line: string): void => log(NAME, line);
  loadOrCreateSecret(dataDir, 'jwt');
  const logFile = join(dataDir, 'events.sqlite');
  await new SqliteEventLog(logFile).close();
  const store = openReadModels(dataDir, loadChineseCalendar());
  const tokens = createTokenVerifier({ dataDir, env: {} });
  const bureau = await tokens.issue({ sub: 'bench-bureau', role: 'bureau', province: '440000' });
  const auth = { authorization: `Bearer ${bureau}` };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...localSecretsAsEnvironment(dataDir),
    ICP_DATA_DIR: dataDir,
    ICP_PROJECTOR: 'external',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const points = [];
  const seeding = [];
  let batch: Awaited<ReturnType<typeof measureBatch>> | undefined;
  let transparency: Awaited<ReturnType<typeof measureTransparency>> | undefined;
  let seeded = 0;
  try {
    for (const services of sizes) {
      progress(
        `registering services ${seeded.toLocaleString('en-US')} … ${services.toLocaleString('en-US')}`,
      );
      const seedStarted = performance.now();
      const events = await seedRegistry(logFile, store, { from: seeded, to: services });
      seeding.push({ services, events, seconds: Math.round((performance.now() - seedStarted) / 100) / 10 });
      seeded = services;
      const server = await startVerifyServer(env);
      try {
        const leaves = services + services / SERVICES_PER_SUBJECT;
        const treeBuiltMs = await signedHeadOf(base, leaves);
        progress(
          `${services.toLocaleString('en-US')} services: tree of ${leaves} leaves signed ${treeBuiltMs} ms after start`,
        );
        const context: Context = { base, durationS, auth, server, profile: args.profile };
        points.push({ ...(await measureVerify(context, services)), treeBuiltMs });
        if (services === sizes.at(-1)) {
          batch = await measureBatch(context, services);
          progress(`  batch: ${batch.itemsPerS} items/s, p50 ${batch.batchMs.p50} ms per batch`);
          transparency = await measureTransparency(context, leaves);
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const [smallest, largest] = [points[0], points.at(-1)];
  emitResult(
    NAME,
    args,
    started,
    {
      connections: CONNECTIONS,
      durationS: durationS * ROUNDS,
      seeding,
      verify: points,
      flatness: smallest &&
        largest && {
          from: smallest.services,
          to: largest.services,
          reqPerS: ratio(smallest.verify.reqPerS, largest.verify.reqPerS),
          ratioToTrivial: ratio(smallest.ratio.reqPerS, largest.ratio.reqPerS),
          p99: ratio(largest.verify.latencyMs.p99, smallest.verify.latencyMs.p99),
        },
      batch,
      transparency,
      goals: goalsOf(points, batch, transparency),
    },
    [
      'verify: GET /v1/verify?packageName=…&signatureMd5=… as a bureau (bearer JWT), random apps of the registry, 10% unregistered; trivial: GET /bench/trivial (a constant, same middleware); trivialAuth: the same behind AuthGuard',
      'ratio.reqPerS = verify / trivial; flatness.reqPerS = verify req/s at the smallest size / at the largest (≤ 1.2 is flat); flatness.ratioToTrivial the same on the ratios, so drift on the machine cancels',
      `batch: POST /v1/verify/batch with ${BATCH_ITEMS} questions (same mix), one at a time; itemsPerS over the whole round trips`,
      'transparency: GET /v1/transparency/proof/inclusion?leaf=<random index> and GET /v1/transparency/sth at 50 connections, on the tree of the largest registry (one leaf per subject and service event)',
      'cpuMsPerRequest: CPU (all threads, from /proc) the server and the load generator (this process) used per request of that route; ratio.serverCpuPerRequest = verify / trivial: the cost of the route itself, robust to other work on the machine (req/s are not)',
      'server: the production API without the worker (bench/procs/verify-serve.ts), read models and event log on SQLite, no request log; autocannon in the bench process on the same cores',
    ],
  );
});

type Point = { services: number; verify: Load; ratio: { reqPerS: number } };

function goalsOf(
  points: readonly Point[],
  batch: { itemsPerS: number } | undefined,
  transparency: { inclusion: Load } | undefined,
) {
  const largest = points.at(-1);
  const smallest = points[0];
  return {
    verifyRatioAtLeast08: largest ? largest.ratio.reqPerS >= 0.8 : undefined,
    verifyP99Below10ms: largest ? largest.verify.latencyMs.p99 < 10 : undefined,
    flatWithin12: smallest && largest ? smallest.verify.reqPerS / largest.verify.reqPerS <= 1.2 : undefined,
    batchAtLeast50kItemsPerS: batch ? batch.itemsPerS >= 50_000 : undefined,
    inclusionP99Below5ms: transparency ? transparency.inclusion.latencyMs.p99 < 5 : undefined,
  };
}
