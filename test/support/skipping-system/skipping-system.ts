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
import { type FollowedClock, followServerClock } from './system-clock';
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
  /** Signs a token as `icp token` would and remembers it under `name` for `call` (signed again after each skip). */
  mint(name: string, claims: Omit<TokenClaims, 'sub'> & { sub?: string }): Promise<string>;
  /** Moves the test server's clock (and this process's, see `clock`) forward, firing every timer due on the way. */
  skip(duration: Duration): Promise<void>;
  /** The test server's clock (workflow time). */
  now(): Promise<Date>;
  /** Every 12381 code sent to a mobile, newest first, read from the outbox as the phone would show them. */
  smsCodes(mobile: string): string[];
  /** Stops worker, API and test server, and removes the data directory; nothing keeps running. */
  stop(): Promise<void>;
}

/** An hour: a scenario's wall time is minutes; `skip` mints every token again. */
const TOKEN_TTL_SECONDS = 3600;

export interface SkippingSystemOptions {
  /** The test server's clock starts here (UTC ISO instant), e.g. `2024-03-25T01:00:00Z`. */
  startAt: string;
  /** Writes what the registry held before the system started (into the system's own event log). */
  seed?: (eventLog: EventLog) => Promise<void>;
  /**
   * `server` (default): this process's `Date` (API, projector, activities) follows the test server's
   * clock, so the whole system lives on one date; `real`: it keeps the machine's.
   */
  clock?: 'server' | 'real';
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
    const clock = options.clock === 'real' ? undefined : followServerClock(await temporal.currentTimeMs());
    if (clock) stops.push(async () => clock.restore());
    const config: IcpConfig = {
      ...base,
      http: { port: 0, host: '127.0.0.1' },
      temporal: { ...base.temporal, mode: 'cluster', address: temporal.address },
    };
    const app = await startHttpApp(config, { worker: false }, { trustProxy: undefined });
    stops.push(() => app.close());
    const eventLog = app.get<EventLog>(EVENT_LOG);
    stops.push(await runWorker(config, temporal, eventLog));
    return assemble({ app, config, temporal, eventLog, stop, clock });
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
  clock?: FollowedClock;
}): SkippingSystem {
  const { app, config, temporal, eventLog } = parts;
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const tokens: Record<string, string> = {};
  const verifier = createTokenVerifier({ dataDir: config.dataDir });
  const minted = new Map<string, TokenClaims>();
  return {
    base,
    dataDir: config.dataDir,
    config,
    temporal,
    eventLog,
    call: apiClient(base, tokens),
    async mint(name, claims) {
      const scope = claims.platformId ?? claims.province ?? claims.ispName ?? claims.org;
      const full = { ...claims, sub: claims.sub ?? (scope ? `${claims.role}:${scope}` : claims.role) };
      minted.set(name, full);
      tokens[name] = await verifier.issue(full, TOKEN_TTL_SECONDS);
      return tokens[name];
    },
    async skip(duration) {
      await temporal.sleep(duration);
      parts.clock?.sync(await temporal.currentTimeMs());
      // Days later, everyone holds a fresh token (an hour's would have expired in the skipped time).
      for (const [name, claims] of minted) tokens[name] = await verifier.issue(claims, TOKEN_TTL_SECONDS);
    },
    now: async () => new Date(await temporal.currentTimeMs()),
    smsCodes: (mobile) =>
      readOutbox(config.dataDir, { to: mobile, limit: 1000 }).flatMap(
        (message) => /核验码为(\d{6})/.exec(message.text)?.[1] ?? [],
      ),
    stop: parts.stop,
  };
}
