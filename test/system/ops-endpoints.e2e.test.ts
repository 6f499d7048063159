import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTION_NAMES } from '../../events/ports/read-models.port';
import { loadConfig } from '../../infra/config/config';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { freePort } from '../../infra/process/net';
import { localSecretsAsEnvironment } from '../../infra/secrets/local-secret';
import { type DevServer, startDevServer } from '../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';
import { appendFilingHistories, generateFilingHistories } from '../support/filing-histories';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';
import { IcpProcess, isolatedEnv } from './icp-process';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  text: string;
  json?: Record<string, unknown>;
}

async function get(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json')
    ? JSON.parse(text)
    : undefined;
  return { status: response.status, text, json };
}

/** Asks until `accept` holds (a process takes over, a server stops); fails past the limit with the last answer. */
async function poll(port: number, path: string, accept: (answer: Answer) => boolean, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  let last: Answer | string = 'no answer';
  for (;;) {
    last = await get(port, path).catch((error: Error) => error.message);
    if (typeof last !== 'string' && accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${path} on ${port}: not as expected within ${limitMs} ms: ${JSON.stringify(last)}`);
    await pause(200);
  }
}

/** The value of one sample line of a Prometheus text, e.g. `icp_projector_lease_held`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('ops endpoints of the worker and projector processes (ICP_OPS_PORT)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-ops-e2e-'));
  const running: IcpProcess[] = [];
  let cluster: PostgresCluster | undefined;
  let temporal: DevServer | undefined;
  const start = (args: string[], env: NodeJS.ProcessEnv): IcpProcess => {
    const child = new IcpProcess(args, env);
    running.push(child);
    return child;
  };
  afterAll(async () => {
    await Promise.all(running.map((child) => child.stop('SIGKILL')));
    await temporal?.stop();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two `icp projector` on one database: one active, one standing by; lag in events and seconds; the standby takes over when the holder dies', async () => {
    cluster = await startPostgresCluster();
    const log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    const filings = generateFilingHistories({ count: 120, seed: 7 });
    await appendFilingHistories(log, filings.slice(0, 60));
    const [portA, portB] = [await freePort(), await freePort()];
    // One data directory stands for the shared read models until they move to PostgreSQL too.
    const env = (port: number) =>
      isolatedEnv({ ICP_DATA_DIR: dataDir, DATABASE_URL: cluster!.url, ICP_OPS_PORT: String(port) });

    const a = start(['projector'], env(portA));
    await a.waitForOutput(`ops on http://127.0.0.1:${portA}`, 30_000);
    const activeA = await poll(portA, '/readyz', ({ json }) => json?.projector === 'active');
    expect(activeA).toMatchObject({
      status: 200,
      json: {
        status: 'ready',
        projector: 'active',
        leaseHeld: true,
        checks: { eventLog: 'up', readModels: 'up' },
      },
    });
    await a.waitForOutput('projector caught up', 30_000);

    const b = start(['projector'], env(portB));
    const standbyB = await poll(portB, '/readyz', ({ json }) => json?.projector === 'standby');
    expect(standbyB).toMatchObject({
      status: 200,
      json: { status: 'ready', projector: 'standby', leaseHeld: false },
    });
    expect((await get(portB, '/livez')).json).toEqual({ status: 'alive' });
    await b.waitForOutput('projector standing by', 10_000);

    const metricsA = await get(portA, '/metrics');
    expect(metricsA.status).toBe(200);
    expect(sample(metricsA.text, 'icp_projector_lease_held')).toBe(1);
    expect(sample(metricsA.text, 'icp_projector_role{role="active"}')).toBe(1);
    for (const projection of PROJECTION_NAMES) {
      expect(sample(metricsA.text, `icp_projection_lag_events{projection="${projection}"}`)).toBe(0);
      expect(sample(metricsA.text, `icp_projection_lag_seconds{projection="${projection}"}`)).toBe(0);
    }
    expect(sample((await get(portB, '/metrics')).text, 'icp_projector_lease_held')).toBe(0);

    // The holder freezes (still holding the lock): events pile up and both report the lag.
    a.child.kill('SIGSTOP');
    const appended = await appendFilingHistories(log, filings.slice(60));
    await pause(1_100);
    const behind = await get(portB, '/metrics');
    for (const projection of PROJECTION_NAMES) {
      expect(sample(behind.text, `icp_projection_lag_events{projection="${projection}"}`)).toBeGreaterThan(0);
      expect(
        sample(behind.text, `icp_projection_lag_seconds{projection="${projection}"}`),
      ).toBeGreaterThanOrEqual(1);
    }
    expect(sample(behind.text, 'icp_projection_lag_events{projection="filing_summary"}')).toBe(
      appended.events,
    );
    expect((await get(portB, '/readyz')).json).toMatchObject({ projector: 'standby' });

    // The holder dies: its lock connection closes, the standby takes over from the checkpoints.
    await a.stop('SIGKILL');
    await poll(portB, '/readyz', ({ json }) => json?.projector === 'active');
    await b.waitForOutput('projector caught up', 60_000);
    const caughtUp = await get(portB, '/metrics');
    expect(sample(caughtUp.text, 'icp_projector_lease_held')).toBe(1);
    for (const projection of PROJECTION_NAMES) {
      expect(sample(caughtUp.text, `icp_projection_lag_events{projection="${projection}"}`)).toBe(0);
    }
    await log.close();

    expect(await b.stop('SIGTERM')).toBe(0);
  });

  it('`icp worker`: /livez, /readyz while polling and Temporal answers (503 once it does not), /metrics with the Temporal SDK runtime’s', async () => {
    const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir, install: false });
    const temporalPort = await freePort();
    temporal = await startDevServer({
      cliPath: cli.path,
      dbFile: join(dataDir, 'temporal.sqlite'),
      port: temporalPort,
      namespace: 'default',
      readyTimeoutMs: 60_000,
    });
    const opsPort = await freePort();
    const worker = start(
      ['worker'],
      isolatedEnv({
        ICP_DATA_DIR: join(dataDir, 'worker'),
        TEMPORAL_ADDRESS: temporal.address,
        ICP_OPS_PORT: String(opsPort),
        ...localSecretsAsEnvironment(join(dataDir, 'worker')),
      }),
    );
    await worker.waitForOutput('worker running', 60_000);

    expect(await get(opsPort, '/livez')).toMatchObject({ status: 200, json: { status: 'alive' } });
    expect(await poll(opsPort, '/readyz', ({ status }) => status === 200)).toMatchObject({
      json: { status: 'ready', worker: 'RUNNING', checks: { temporal: 'up' } },
    });
    const metrics = await poll(opsPort, '/metrics', ({ text }) => /^temporal_\w+/m.test(text));
    expect(metrics.status).toBe(200);
    expect(sample(metrics.text, 'icp_worker_temporal_metrics_up')).toBe(1);
    expect(metrics.text).toMatch(/^temporal_num_pollers\{.*task_queue="icp-filing".*\} \d+/m);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    expect((await get(opsPort, '/nowhere')).status).toBe(404);

    await temporal.stop();
    temporal = undefined;
    const down = await poll(opsPort, '/readyz', ({ status }) => status === 503);
    expect(down.json).toMatchObject({ status: 'not-ready', checks: { temporal: 'down' } });
    expect((await get(opsPort, '/livez')).status).toBe(200);
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
