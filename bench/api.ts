import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type autocannon from 'autocannon';
import { filingStreamId } from '../events/filing/stream-ids';
import { createTokenVerifier } from '../infra/auth/token-verifier';
import { loadConfig } from '../infra/config/config';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { freePort } from '../infra/process/net';
import { loadOrCreateSecret, localSecretsAsEnvironment } from '../infra/secrets/local-secret';
import { filingDataConverter } from '../infra/temporal/payload-keys';
import { SMS_CODE_PEPPER_SECRET } from '../infra/verification/sms-code-store';
import { SMS_ANSWER_SECRET } from '../main/worker/activity-deps';
import { statusQuery } from '../workflows/filing/filing.definitions';
import { readFiling, settledRevisions, submitFilings } from './lib/api-filings';
import { parseBenchArgs, size } from './lib/args';
import { type ServerChild, startBareHttpChild, startServerChild } from './lib/child';
import { registerBenchSubjects } from './lib/filing-drive';
import { combine, type Load, load } from './lib/http-load';
import { CpuMeter } from './lib/proc-cpu';
import { profileDir } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { percentile, ratio } from './lib/stats';
import { type BenchTemporal, startBenchTemporal } from './lib/temporal';
import { startPostgresCluster } from '../test/support/postgres-cluster';

/**
 * The read path under autocannon with 50 connections: `GET /v1/filings/:id` as it answers by default
 * (the filing_summary read model), with `?minRevision=` of the filing's current revision (already
 * caught up) and with `?consistency=strong` (the workflow's status query); against a trivial route of
 * the same NestJS server (and behind the bearer-token guard), a bare Node `http` server answering the
 * same JSON (the physical limit of this machine's HTTP path) and the status query straight through
 * the Temporal client. The server is the API and the worker in one process, as `icp start` runs them,
 * plus the bench's own routes (bench/app/), on the Temporal dev server. Then, when PostgreSQL's
 * initdb and pg_ctl are installed, the default and minRevision reads and the trivial route again on a
 * fresh set of servers whose read side is PostgreSQL (DATABASE_URL on a throwaway local cluster).
 */
const NAME = 'api';
const CONNECTIONS = 50;
const FILINGS = 20;

const HTTP_ROUTES = [
  'bare',
  'trivial',
  'trivialAuth',
  'filing',
  'filingMinRevision',
  'filingStrong',
] as const;
type HttpRoute = (typeof HTTP_ROUTES)[number];
type Route = HttpRoute | 'temporalQuery';
const ROUTES: readonly Route[] = [...HTTP_ROUTES, 'temporalQuery'];
type Meter = CpuMeter<'temporalServer' | 'apiProcess' | 'benchProcess'>;

/**
 * The same reads without HTTP: `CONNECTIONS` loops asking the workflows' status query through the
 * Temporal client (with the payload codec), as the strong read does — what Temporal and the worker
 * alone allow.
 */
async function queryLoad(client: Client, ids: readonly string[], durationS: number): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const until = performance.now() + durationS * 1000;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (performance.now() < until) {
      const id = ids[next++ % ids.length] as string;
      const t = performance.now();
      try {
        await client.workflow.getHandle(filingStreamId(id)).query(statusQuery);
        latencies.push(performance.now() - t);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number): number => Math.round(percentile(latencies, p));
  const mean = latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length);
  return {
    reqPerS: Math.round(latencies.length / elapsedS),
    latencyMs: { p50: at(50), p90: at(90), p99: at(99), mean: Math.round(mean * 100) / 100 },
    requests: latencies.length,
    non2xx: 0,
    errors,
  };
}

interface Servers {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  temporal: BenchTemporal;
  app: ServerChild;
  bare: { pid: number; stop(): Promise<void> };
  base: string;
  bareBase: string;
  stop(): Promise<void>;
}

/** The Temporal dev server, the API + worker process and the bare `http` server, on free ports. */
async function startServers(
  profiling: boolean,
  progress: (line: string) => void,
  databaseUrl?: string,
): Promise<Servers> {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-api-'));
  // Every secret exists before the processes start, so none of them races to create one.
  for (const name of ['payload-key', SMS_ANSWER_SECRET, SMS_CODE_PEPPER_SECRET, 'jwt'])
    loadOrCreateSecret(dataDir, name);
  progress('starting the Temporal dev server');
  const temporal = await startBenchTemporal(progress);
  const [port, barePort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ICP_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporal.address,
    ...localSecretsAsEnvironment(dataDir),
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    for (const child of started.reverse()) await child.stop();
    await temporal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    progress('starting the API + worker process and the bare http server');
    const app = await startServerChild('app', env, { profileDir: profiling ? profileDir(NAME) : undefined });
    started.push(app);
    const bare = await startBareHttpChild({ ...env, PORT: String(barePort) });
    started.push(bare);
    const base = `http://127.0.0.1:${port}`;
    return { dataDir, env, temporal, app, bare, base, bareBase: `http://127.0.0.1:${barePort}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The autocannon request of each HTTP route, cycling over the filings. */
function httpRoutes(
  ids: readonly string[],
  revisions: ReadonlyMap<string, number>,
  auth: Record<string, string>,
): Record<HttpRoute, autocannon.Request> {
  let next = 0;
  const filing = (query: (id: string) => string): autocannon.Request => ({
    method: 'GET',
    headers: auth,
    setupRequest: (request) => {
      const id = ids[next++ % ids.length] as string;
      return { ...request, path: `/v1/filings/${id}${query(id)}` };
    },
  });
  return {
    bare: { method: 'GET', path: '/bench/trivial' },
    trivial: { method: 'GET', path: '/bench/trivial' },
    trivialAuth: { method: 'GET', path: '/bench/trivial-auth', headers: auth },
    filing: filing(() => ''),
    filingMinRevision: filing((id) => `?minRevision=${revisions.get(id)}`),
    filingStrong: filing(() => '?consistency=strong'),
  };
}

interface Measured {
  runs: Record<Route, Load[]>;
  meters: Record<Route, Meter>;
}

/** Two rounds over every route in opposite orders, so drift on the machine falls on all routes alike. */
async function measure(
  servers: Servers,
  requests: Record<HttpRoute, autocannon.Request>,
  queries: () => Promise<Load>,
  options: {
    durationS: number;
    profiling: boolean;
    progress: (line: string) => void;
    routes?: readonly Route[];
  },
): Promise<Measured> {
  const routes = options.routes ?? ROUTES;
  const runs = Object.fromEntries(ROUTES.map((route) => [route, []])) as unknown as Record<Route, Load[]>;
  const meters = Object.fromEntries(
    ROUTES.map((route) => [
      route,
      new CpuMeter({
        temporalServer: servers.temporal.pid,
        apiProcess: route === 'bare' ? servers.bare.pid : servers.app.pid,
        benchProcess: 'self',
      }),
    ]),
  ) as Record<Route, Meter>;
  for (const order of [routes, [...routes].reverse()]) {
    for (const route of order) {
      // With --profile, the API process's main thread is profiled while it serves default filing reads.
      const profiling = options.profiling && route === 'filing';
      if (profiling) await servers.app.startProfile();
      meters[route].start();
      const run =
        route === 'temporalQuery'
          ? await queries()
          : await load(
              route === 'bare' ? servers.bareBase : servers.base,
              options.durationS,
              requests[route],
              CONNECTIONS,
            );
      meters[route].stop();
      if (profiling)
        await servers.app.stopProfile(
          join(profileDir(NAME), `api-main-thread-filing-${runs.filing.length + 1}.cpuprofile`),
        );
      runs[route].push(run);
      options.progress(
        `  ${route}: ${run.reqPerS} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms`,
      );
    }
  }
  return { runs, meters };
}

/** The figures of a run: each route's load, CPU per request and the ratios the table shows. */
function apiFigures(
  measured: Measured,
  readSources: Record<string, string>,
  durationS: number,
  filingsRead: number,
) {
  const routes = Object.fromEntries(ROUTES.map((route) => [route, combine(measured.runs[route])])) as Record<
    Route,
    Load
  >;
  const non2xx = HTTP_ROUTES.filter((route) => routes[route].non2xx > 0);
  if (non2xx.length > 0)
    throw new Error(
      `non-2xx answers: ${non2xx.map((route) => `${route} ${routes[route].non2xx}`).join(', ')}`,
    );
  const { bare, trivial, trivialAuth, filing, filingMinRevision, filingStrong, temporalQuery } = routes;
  return {
    connections: CONNECTIONS,
    durationS: durationS * 2,
    filingsRead,
    readSources,
    bare,
    trivial,
    trivialAuth,
    filing,
    filingMinRevision,
    filingStrong,
    temporalQuery: {
      perS: temporalQuery.reqPerS,
      latencyMs: temporalQuery.latencyMs,
      errors: temporalQuery.errors,
    },
    cpuMsPerRequest: Object.fromEntries(
      ROUTES.map((route) => [route, measured.meters[route].perOperation(routes[route].requests)]),
    ),
    ratio: {
      reqPerS: ratio(filing.reqPerS, trivial.reqPerS),
      p50: ratio(filing.latencyMs.p50, trivial.latencyMs.p50),
      p99: ratio(filing.latencyMs.p99, trivial.latencyMs.p99),
      minRevisionReqPerS: ratio(filingMinRevision.reqPerS, trivial.reqPerS),
      strongReqPerS: ratio(filingStrong.reqPerS, trivial.reqPerS),
      trivialVsBareReqPerS: ratio(trivial.reqPerS, bare.reqPerS),
      filingVsBareReqPerS: ratio(filing.reqPerS, bare.reqPerS),
      trivialAuthReqPerS: ratio(trivialAuth.reqPerS, trivial.reqPerS),
      temporalQueryPerS: ratio(temporalQuery.reqPerS, trivial.reqPerS),
      strongVsTemporalQuery: ratio(filingStrong.reqPerS, temporalQuery.reqPerS),
    },
  };
}

const NOTES = [
  `filing: GET /v1/filings/:id as an auditor, cycling over ${FILINGS} live filings in platform review, as it answers by default (readSources says where the answers came from: X-Read-Source)`,
  'filingMinRevision: the same with ?minRevision=<the revision a strong read gave>, so the read model has already caught up; filingStrong: with ?consistency=strong (the workflow status query)',
  'temporalQuery: the same status queries straight through the Temporal client from the bench process (50 in flight), no HTTP: what Temporal and the worker allow',
  'trivial: GET /bench/trivial returning a constant, mounted only by the bench app module, same middleware and filters; trivialAuth: the same behind AuthGuard (JWT verify)',
  'bare: a bare Node http server (bench/procs/bare-http.ts, its own process) answering the same JSON: the physical limit of this machine’s HTTP path under the same autocannon load',
  'server: one process with the API and the worker (as `icp start`), the Temporal dev server (in-memory) beside it; autocannon runs in the bench process on the same cores',
  'cpuMsPerRequest: CPU time (all threads, from /proc) each process used per request of that route: the Temporal dev server, the serving process (API + worker, or the bare server), the bench process (autocannon or the Temporal client)',
  'postgres: the trivial route, the default and the minRevision reads again on fresh servers with DATABASE_URL on a throwaway local PostgreSQL cluster (initdb, fsync off); ratio.postgresVsSqlite = default read req/s on PostgreSQL ÷ on SQLite; postgres.skipped says why when PostgreSQL is not installed',
  'each route: the median of two runs (rounds in opposite orders); ratio.reqPerS = filing / trivial (below 1: slower); ratio.p50/p99 = filing / trivial latency; ratio.trivialVsBareReqPerS = trivial / bare',
];

interface PreparedReads {
  ids: string[];
  readSources: Record<string, string>;
  requests: Record<HttpRoute, autocannon.Request>;
}

/** Filings to read, in platform review and caught up in the read model, and the routes that read them. */
async function prepareReads(servers: Servers, progress: (line: string) => void): Promise<PreparedReads> {
  const tokens = createTokenVerifier({ dataDir: servers.dataDir, env: servers.env });
  const auth = { authorization: `Bearer ${await tokens.issue({ sub: 'bench-auditor', role: 'auditor' })}` };
  const eventLog = new SqliteEventLog(join(servers.dataDir, 'events.sqlite'));
  await registerBenchSubjects(eventLog, { from: 0, to: FILINGS }).finally(() => eventLog.close());
  progress(`submitting ${FILINGS} filings over HTTP`);
  const ids = await submitFilings(servers.base, tokens, FILINGS);
  const revisions = await settledRevisions(servers.base, auth, ids);
  const first = ids[0] as string;
  const readSources = {
    filing: (await readFiling(servers.base, auth, first)).source,
    filingMinRevision: (await readFiling(servers.base, auth, first, `?minRevision=${revisions.get(first)}`))
      .source,
    filingStrong: (await readFiling(servers.base, auth, first, '?consistency=strong')).source,
  };
  return { ids, readSources, requests: httpRoutes(ids, revisions, auth) };
}

/** Every route on the SQLite read side (the default deployment). */
async function sqliteReads(durationS: number, profiling: boolean, progress: (line: string) => void) {
  const servers = await startServers(profiling, progress);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: servers.temporal.address });
    const { ids, readSources, requests } = await prepareReads(servers, progress);
    const temporal = new Client({ connection, dataConverter: filingDataConverter(loadConfig(servers.env)) });
    progress('warming up');
    await load(servers.bareBase, 2, requests.bare, CONNECTIONS);
    await load(servers.base, 2, requests.trivial, CONNECTIONS);
    await load(servers.base, 2, requests.filing, CONNECTIONS);
    const measured = await measure(servers, requests, () => queryLoad(temporal, ids, durationS), {
      durationS,
      profiling,
      progress,
    });
    return apiFigures(measured, readSources, durationS, ids.length);
  } finally {
    await connection?.close();
    await servers.stop();
  }
}

const POSTGRES_ROUTES = ['trivial', 'filing', 'filingMinRevision'] as const;

/**
 * The default and minRevision reads (and the trivial route) with DATABASE_URL on a throwaway local
 * PostgreSQL cluster: the read side a multi-host deployment reads. Skipped, saying why, when
 * PostgreSQL is not installed.
 */
async function postgresReads(durationS: number, log: (line: string) => void) {
  const progress = (line: string): void => log(`postgres: ${line}`);
  const cluster = await startPostgresCluster().catch((error: unknown) => String(error).split('\n')[0]);
  if (typeof cluster === 'string') return { skipped: cluster };
  try {
    const servers = await startServers(false, progress, cluster.url);
    try {
      const { readSources, requests } = await prepareReads(servers, progress);
      await load(servers.base, 2, requests.filing, CONNECTIONS);
      const noQueries = (): Promise<Load> => Promise.reject(new Error('not measured on PostgreSQL'));
      const measured = await measure(servers, requests, noQueries, {
        durationS,
        profiling: false,
        progress,
        routes: POSTGRES_ROUTES,
      });
      const [trivial, filing, filingMinRevision] = POSTGRES_ROUTES.map((route) =>
        combine(measured.runs[route]),
      );
      const failing = [trivial, filing, filingMinRevision].filter((run) => (run?.non2xx ?? 0) > 0);
      if (failing.length > 0) throw new Error('non-2xx answers on the PostgreSQL read side');
      return {
        readSources,
        trivial,
        filing,
        filingMinRevision,
        cpuMsPerRequest: Object.fromEntries(
          POSTGRES_ROUTES.map((route) => [
            route,
            measured.meters[route].perOperation(combine(measured.runs[route]).requests),
          ]),
        ),
        ratio: {
          reqPerS: ratio(filing?.reqPerS ?? NaN, trivial?.reqPerS ?? NaN),
          p99: ratio(filing?.latencyMs.p99 ?? NaN, trivial?.latencyMs.p99 ?? NaN),
          minRevisionReqPerS: ratio(filingMinRevision?.reqPerS ?? NaN, trivial?.reqPerS ?? NaN),
        },
      };
    } finally {
      await servers.stop();
    }
  } finally {
    await cluster.stop();
  }
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const durationS = size(args, 15, 3);
  const progress = (line: string): void => log(NAME, line);
  const sqlite = await sqliteReads(durationS, args.profile, progress);
  progress('the read side on PostgreSQL');
  const postgres = await postgresReads(durationS, progress);
  const postgresVsSqlite =
    'filing' in postgres ? ratio(postgres.filing?.reqPerS ?? NaN, sqlite.filing.reqPerS) : Number.NaN;
  emitResult(
    NAME,
    args,
    started,
    { ...sqlite, postgres, ratio: { ...sqlite.ratio, postgresVsSqlite } },
    NOTES,
  );
});
