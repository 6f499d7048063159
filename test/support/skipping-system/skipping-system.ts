import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, type Worker } from '@temporalio/worker';
import type { TokenClaims } from '../../../events/auth/token-claims';
import type { EventLog } from '../../../events/ports/event-log.port';
import { createTokenVerifier } from '../../../infra/auth/token-verifier';
import { type IcpConfig, loadConfig } from '../../../infra/config/config';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { readOutbox } from '../../../infra/notify/outbox';
import { startHttpApp } from '../../../main/api/create-app';
import { openActivityDeps } from '../../../main/worker/activity-deps';
import { createWorker, WORKFLOWS_PATH } from '../../../main/worker/create-worker';
import { EVENT_LOG } from '../../../services/tokens';
import { type ApiCall, apiClient } from './api-client';
import { startTestServer } from './test-server-process';

/**
 * The whole system in this process on Temporal's Java time-skipping test server: the real API (Nest,
 * in-process projector, a free loopback port) and the real worker (every workflow, the production
 * activities) over one SQLite event log and read models in a temp data directory. Time moves only
 * when the test calls `skip`: the API's client is a plain one, so awaiting a result never skips.
 */
export interface SkippingSystem {
  /** `http://127.0.0.1:<port>` of the API. */
  readonly base: string;
  readonly dataDir: string;
  readonly config: IcpConfig;
  readonly temporal: TestWorkflowEnvironment;
  /** The event log the API and the worker share. */
  readonly eventLog: EventLog;
  /** A JSON (or raw text) call to the API as the named token's holder (see `mint`). */
  readonly call: ApiCall;
  /** Signs a token as `icp token` would and remembers it under `name` for `call`. */
  mint(name: string, claims: Omit<TokenClaims, 'sub'> & { sub?: string }): Promise<string>;
  /** Moves the test server's clock forward, firing every timer due on the way. */
  skip(duration: Duration): Promise<void>;
  /** The test server's clock (workflow time). */
  now(): Promise<Date>;
  /** Every 12381 code sent to a mobile, newest first, read from the outbox as the phone would show them. */
  smsCodes(mobile: string): string[];
  /** Stops worker, API and test server, and removes the data directory; nothing keeps running. */
  stop(): Promise<void>;
}

export interface SkippingSystemOptions {
  /** The test server's clock starts here (UTC ISO instant), e.g. `2024-03-25T01:00:00Z`. */
  startAt: string;
  /** Writes what the registry held before the system started (into the system's own event log). */
  seed?: (eventLog: EventLog) => Promise<void>;
}

export async function startSkippingSystem(options: SkippingSystemOptions): Promise<SkippingSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-skipping-'));
  const stops: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const base = loadConfig({ ICP_DATA_DIR: dataDir }, dataDir);
    if (options.seed) await seedBeforeStart(base, options.seed);
    const server = await startTestServer(options.startAt);
    stops.push(() => server.stop());
    const temporal = server.env;
    const config: IcpConfig = {
      ...base,
      http: { port: 0, host: '127.0.0.1' },
      temporal: { ...base.temporal, mode: 'cluster', address: temporal.address },
    };
    const app = await startHttpApp(config, { worker: false }, { trustProxy: undefined });
    stops.push(() => app.close());
    const eventLog = app.get<EventLog>(EVENT_LOG);
    stops.push(await runWorker(config, temporal, eventLog));
    return assemble({ app, config, temporal, eventLog, stop });
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seedBeforeStart(config: IcpConfig, seed: NonNullable<SkippingSystemOptions['seed']>) {
  const eventLog = openEventLog(config.eventLog.url);
  try {
    await seed(eventLog);
  } finally {
    await eventLog.close();
  }
}

/** The production worker (create-worker.ts, openActivityDeps) on the test server; returns its stop. */
async function runWorker(
  config: IcpConfig,
  temporal: TestWorkflowEnvironment,
  eventLog: EventLog,
): Promise<() => Promise<void>> {
  const opened = await openActivityDeps(config, eventLog);
  let worker: Worker;
  try {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });
    worker = await createWorker(config, temporal.nativeConnection, opened.deps, { workflowBundle });
  } catch (error) {
    await opened.close();
    throw error;
  }
  const running = worker.run();
  return async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await opened.close();
  };
}

function assemble(parts: {
  app: INestApplication;
  config: IcpConfig;
  temporal: TestWorkflowEnvironment;
  eventLog: EventLog;
  stop: () => Promise<void>;
}): SkippingSystem {
  const { app, config, temporal, eventLog } = parts;
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const tokens: Record<string, string> = {};
  const verifier = createTokenVerifier({ dataDir: config.dataDir });
  return {
    base,
    dataDir: config.dataDir,
    config,
    temporal,
    eventLog,
    call: apiClient(base, tokens),
    async mint(name, claims) {
      const scope = claims.platformId ?? claims.province ?? claims.ispName ?? claims.org;
      const sub = claims.sub ?? (scope ? `${claims.role}:${scope}` : claims.role);
      // An hour: a scenario's wall time is minutes, whatever time the test server skips.
      tokens[name] = await verifier.issue({ ...claims, sub }, 3600);
      return tokens[name];
    },
    skip: (duration) => temporal.sleep(duration),
    now: async () => new Date(await temporal.currentTimeMs()),
    smsCodes: (mobile) =>
      readOutbox(config.dataDir, { to: mobile, limit: 1000 }).flatMap(
        (message) => /核验码为(\d{6})/.exec(message.text)?.[1] ?? [],
      ),
    stop: parts.stop,
  };
}
