import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import autocannon from 'autocannon';
import { filingStreamId } from '../events/filing/stream-ids';
import { loadConfig } from '../infra/config/config';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { filingDataConverter } from '../infra/temporal/payload-keys';
import { createTokenVerifier } from '../infra/auth/token-verifier';
import { freePort } from '../infra/process/net';
import { loadOrCreateSecret, localSecretsAsEnvironment } from '../infra/secrets/local-secret';
import { SMS_CODE_PEPPER_SECRET } from '../infra/verification/sms-code-store';
import { SMS_ANSWER_SECRET } from '../main/worker/activity-deps';
import { parseBenchArgs, size } from './lib/args';
import { type ServerChild, startServerChild } from './lib/child';
import { benchSubmission, registerBenchSubjects } from './lib/filing-drive';
import { CpuMeter } from './lib/proc-cpu';
import { profileDir } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { percentile, ratio } from './lib/stats';
import { startBenchTemporal } from './lib/temporal';
import { statusQuery } from '../workflows/filing/filing.definitions';

/**
 * `GET /v1/filings/:id` (an auditor reading live filings: the API asks each workflow's `status` query)
 * under autocannon with 50 connections, against a trivial route of the same NestJS server (and the
 * trivial route behind the bearer-token guard). The server is the API and the worker in one process,
 * as `icp start` runs them, plus the bench's own routes (bench/app/), on the Temporal dev server.
 */
const NAME = 'api';
const CONNECTIONS = 50;
const FILINGS = 20;

interface Load {
  reqPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, durationS: number, request: autocannon.Request): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: durationS,
    timeout: 30,
    requests: [request],
  });
  return {
    reqPerS: Math.round(result.requests.total / result.duration),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * The same reads without HTTP: `CONNECTIONS` loops asking the workflows' status query through the
 * Temporal client (with the payload codec), as the API's handler does — what Temporal and the worker
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
  return {
    reqPerS: Math.round(latencies.length / elapsedS),
    latencyMs: {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      mean: Math.round((latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length)) * 100) / 100,
    },
    requests: latencies.length,
    non2xx: 0,
    errors,
  };
}

/** Several runs of one route as one: the mean of their rates and of their latency percentiles. */
function combine(runs: readonly Load[]): Load {
  const n = runs.length;
  const avg = (pick: (run: Load) => number): number =>
    Math.round((runs.reduce((s, r) => s + pick(r), 0) / n) * 100) / 100;
  return {
    reqPerS: Math.round(avg((run) => run.reqPerS)),
    latencyMs: {
      p50: avg((run) => run.latencyMs.p50),
      p90: avg((run) => run.latencyMs.p90),
      p99: avg((run) => run.latencyMs.p99),
      mean: avg((run) => run.latencyMs.mean),
    },
    requests: runs.reduce((s, r) => s + r.requests, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const durationS = size(args, 15, 3);
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-api-'));
  const progress = (line: string): void => log(NAME, line);
  // Every secret exists before the processes start, so none of them races to create one.
  for (const name of ['payload-key', SMS_ANSWER_SECRET, SMS_CODE_PEPPER_SECRET, 'jwt'])
    loadOrCreateSecret(dataDir, name);
  progress('starting the Temporal dev server');
  const server = await startBenchTemporal(progress);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ICP_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: server.address,
    ...localSecretsAsEnvironment(dataDir),
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  let app: ServerChild | undefined;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: server.address });
    progress('starting the API + worker process');
    app = await startServerChild('app', env, {
      profileDir: args.profile ? profileDir(NAME) : undefined,
    });
    const tokens = createTokenVerifier({ dataDir, env });
    const auditor = await tokens.issue({ sub: 'bench-auditor', role: 'auditor' });

    const eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    await registerBenchSubjects(eventLog, { from: 0, to: FILINGS }).finally(() => eventLog.close());
    progress(`submitting ${FILINGS} filings over HTTP`);
    const ids: string[] = [];
    for (let index = 0; index < FILINGS; index += 1) {
      const submission = benchSubmission(1, index, `api-bench-${index}`);
      const platform = await tokens.issue({
        sub: 'bench-ops',
        role: 'platform',
        platformId: submission.platformId,
      });
      const response = await fetch(`${base}/v1/filings`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${platform}`,
          'content-type': 'application/json',
          'idempotency-key': `api-bench-${index}`,
        },
        body: JSON.stringify(submission.form),
      });
      const body = (await response.json()) as { filingId?: string };
      if (response.status !== 202 || !body.filingId)
        throw new Error(`POST /v1/filings answered ${response.status}`);
      ids.push(body.filingId);
    }
    const auth = { authorization: `Bearer ${auditor}` };
    for (const id of ids) {
      for (let tries = 0; ; tries += 1) {
        const view = (await (await fetch(`${base}/v1/filings/${id}`, { headers: auth })).json()) as {
          status?: string;
        };
        if (view.status === 'platform_review') break;
        if (tries > 600) throw new Error(`filing ${id} did not reach platform review`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    let next = 0;
    const routes: Record<'filing' | 'trivial' | 'trivialAuth', autocannon.Request> = {
      filing: {
        method: 'GET',
        headers: auth,
        setupRequest: (request) => ({ ...request, path: `/v1/filings/${ids[next++ % ids.length]}` }),
      },
      trivial: { method: 'GET', path: '/bench/trivial' },
      trivialAuth: { method: 'GET', path: '/bench/trivial-auth', headers: auth },
    };
    const temporal = new Client({ connection, dataConverter: filingDataConverter(loadConfig(env)) });
    progress('warming up');
    await load(base, 2, routes.trivial);
    await load(base, 2, routes.filing);
    const runs: Record<keyof typeof routes | 'temporalQuery', Load[]> = {
      filing: [],
      trivial: [],
      trivialAuth: [],
      temporalQuery: [],
    };
    const serverApp = app;
    const meters = Object.fromEntries(
      (['filing', 'trivial', 'trivialAuth', 'temporalQuery'] as const).map((route) => [
        route,
        new CpuMeter({ temporalServer: server.pid, apiProcess: serverApp.pid, benchProcess: 'self' }),
      ]),
    ) as Record<keyof typeof runs, CpuMeter<'temporalServer' | 'apiProcess' | 'benchProcess'>>;
    // Two rounds in opposite orders, so drift on the machine falls on all routes alike.
    for (const order of [
      ['trivial', 'filing', 'trivialAuth', 'temporalQuery'],
      ['temporalQuery', 'trivialAuth', 'filing', 'trivial'],
    ] as const) {
      for (const route of order) {
        // With --profile, the API process's main thread is profiled while it serves filing reads.
        const profiling = args.profile && route === 'filing';
        if (profiling) await serverApp.startProfile();
        meters[route].start();
        const run =
          route === 'temporalQuery'
            ? await queryLoad(temporal, ids, durationS)
            : await load(base, durationS, routes[route]);
        meters[route].stop();
        if (profiling) {
          await serverApp.stopProfile(
            join(profileDir(NAME), `api-main-thread-filing-${runs.filing.length + 1}.cpuprofile`),
          );
        }
        runs[route].push(run);
        progress(
          `  ${route}: ${run.reqPerS} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms`,
        );
      }
    }
    const filing = combine(runs.filing);
    const trivial = combine(runs.trivial);
    const trivialAuth = combine(runs.trivialAuth);
    const temporalQuery = combine(runs.temporalQuery);
    if (filing.non2xx + trivial.non2xx + trivialAuth.non2xx > 0) {
      throw new Error(
        `non-2xx answers: filing ${filing.non2xx}, trivial ${trivial.non2xx}, trivialAuth ${trivialAuth.non2xx}`,
      );
    }
    emitResult(
      NAME,
      args,
      started,
      {
        connections: CONNECTIONS,
        durationS: durationS * 2,
        filingsRead: ids.length,
        filing,
        trivial,
        trivialAuth,
        temporalQuery: {
          perS: temporalQuery.reqPerS,
          latencyMs: temporalQuery.latencyMs,
          errors: temporalQuery.errors,
        },
        cpuMsPerRequest: Object.fromEntries(
          (Object.keys(meters) as Array<keyof typeof meters>).map((route) => [
            route,
            meters[route].perOperation(combine(runs[route]).requests),
          ]),
        ),
        ratio: {
          reqPerS: ratio(filing.reqPerS, trivial.reqPerS),
          p50: ratio(filing.latencyMs.p50, trivial.latencyMs.p50),
          p99: ratio(filing.latencyMs.p99, trivial.latencyMs.p99),
          trivialAuthReqPerS: ratio(trivialAuth.reqPerS, trivial.reqPerS),
          temporalQueryPerS: ratio(temporalQuery.reqPerS, trivial.reqPerS),
          filingVsTemporalQuery: ratio(filing.reqPerS, temporalQuery.reqPerS),
        },
      },
      [
        'filing: GET /v1/filings/:id as an auditor, cycling over 20 live filings in platform review (the API asks each workflow its status query)',
        'temporalQuery: the same status queries straight through the Temporal client from the bench process (50 in flight), no HTTP: what Temporal and the worker allow',
        'trivial: GET /bench/trivial returning a constant, mounted only by the bench app module, same middleware and filters; trivialAuth: the same behind AuthGuard (JWT verify)',
        'server: one process with the API and the worker (as `icp start`), the Temporal dev server (in-memory) beside it; autocannon runs in the bench process on the same 2 cores',
        'cpuMsPerRequest: CPU time (all threads, from /proc) each process used per request of that route: the Temporal dev server, the API process (API + worker), the bench process (autocannon or the Temporal client)',
        'ratio.reqPerS = filing / trivial (below 1: slower); ratio.p50/p99 = filing / trivial latency',
      ],
    );
  } finally {
    await app?.stop();
    await connection?.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
