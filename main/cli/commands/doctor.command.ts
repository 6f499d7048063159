import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { ConfigError, type IcpConfig, loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { multiHostSetting } from '../../../infra/secrets/local-secret';
import { redactEventLogUrl } from '../../../infra/event-log/event-log-url';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { freePort, waitForPort } from '../../../infra/process/net';
import { pingTemporal } from '../../../infra/temporal/connection';
import { resolveTemporalCli, TemporalCliUnavailable } from '../../../infra/temporal/temporal-cli';
import { installedTestServer } from '../../../infra/temporal/test-server';
import type { CliCommand } from '../command';

/** The SDK gives the test server this long to listen (see DESIGN.md). */
const TEST_SERVER_START_BUDGET_MS = 5_000;
const MIN_NODE_MAJOR = 20;

export interface DoctorReport {
  node: string;
  temporal: {
    mode: IcpConfig['temporal']['mode'];
    address: string;
    namespace: string;
    reachable: boolean;
    cli: { path: string; version: string } | null;
  };
  testServer: { ready: boolean; startMs?: number; script?: string };
  eventLog: { url: string; ok: boolean };
  dataDir: string;
  /** Where the API's and the worker's secrets come from, and whether they are usable. */
  secrets: { source: 'environment' | 'data directory'; ok: boolean };
  problems: string[];
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'icp doctor [--json]',
  summary: 'check Node, Temporal, the test server, the event log and the data directory',
  async run(args, io) {
    const report = await diagnose(loadConfig());
    if (args.includes('--json')) {
      io.out(JSON.stringify(report, null, 2));
    } else {
      io.out(`node         ${report.node}`);
      io.out(
        `temporal     ${report.temporal.mode} ${report.temporal.address} (${report.temporal.reachable ? 'reachable' : 'not running'})`,
      );
      io.out(
        `temporal cli ${report.temporal.cli ? `${report.temporal.cli.version} ${report.temporal.cli.path}` : 'not provisioned'}`,
      );
      io.out(
        `test server  ${report.testServer.ready ? `ready, listens in ${report.testServer.startMs} ms` : 'not ready'}`,
      );
      io.out(`event log    ${report.eventLog.url} (${report.eventLog.ok ? 'ok' : 'failing'})`);
      io.out(`data dir     ${report.dataDir}`);
      io.out(`secrets      from the ${report.secrets.source} (${report.secrets.ok ? 'ok' : 'failing'})`);
    }
    for (const problem of report.problems) io.err(`problem: ${problem}`);
    return report.problems.length === 0 ? 0 : 1;
  },
};

export async function diagnose(
  config: IcpConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DoctorReport> {
  const problems: string[] = [];
  const secrets = secretsUsable(env, problems);
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < MIN_NODE_MAJOR)
    problems.push(`Node ${process.version} is too old: install Node ${MIN_NODE_MAJOR} or newer`);

  const [cli, reachable, testServer, eventLogOk] = await Promise.all([
    findCli(config, problems),
    temporalReachable(config),
    testServerReadiness(config, problems),
    eventLogHealthy(config, problems),
  ]);
  if (config.temporal.mode === 'cluster' && !reachable) {
    problems.push(
      `TEMPORAL_ADDRESS ${config.temporal.address} does not answer: check the address, TLS settings and network`,
    );
  }
  if (!dataDirWritable(config.dataDir))
    problems.push(`data directory ${config.dataDir} is not writable: set ICP_DATA_DIR`);

  return {
    node: process.version,
    temporal: {
      mode: config.temporal.mode,
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      reachable,
      cli,
    },
    testServer,
    eventLog: { url: redactEventLogUrl(config.eventLog.url), ok: eventLogOk },
    dataDir: config.dataDir,
    secrets,
    problems,
  };
}

/** The secrets an `icp start` host (the API and a worker) needs, as `requireSecrets` checks them. */
function secretsUsable(env: NodeJS.ProcessEnv, problems: string[]): DoctorReport['secrets'] {
  const source = multiHostSetting(env) ? 'environment' : 'data directory';
  try {
    requireSecrets('start', env);
    return { source, ok: true };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
    return { source, ok: false };
  }
}

async function findCli(
  config: IcpConfig,
  problems: string[],
): Promise<{ path: string; version: string } | null> {
  try {
    const cli = await resolveTemporalCli({ cacheDir: config.cacheDir, install: false });
    return { path: cli.path, version: cli.version };
  } catch (error) {
    if (config.temporal.mode === 'embedded' && error instanceof TemporalCliUnavailable) {
      problems.push(
        'Temporal CLI not provisioned: run `npx icp provision` (or `npm start`, which provisions it)',
      );
    }
    return null;
  }
}

async function temporalReachable(config: IcpConfig): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 2_000 });
    await pingTemporal(connection, 2_000);
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

/** Starts the installed test server once and measures how long it takes to listen. */
async function testServerReadiness(
  config: IcpConfig,
  problems: string[],
): Promise<DoctorReport['testServer']> {
  const install = installedTestServer(config.cacheDir);
  if (!install) {
    problems.push('Temporal test server not provisioned: run `npx icp provision`');
    return { ready: false };
  }
  const port = await freePort();
  const started = Date.now();
  const child = spawn(install.scriptPath, [String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await waitForPort(port, TEST_SERVER_START_BUDGET_MS);
  const startMs = Date.now() - started;
  child.kill('SIGKILL');
  await exited;
  if (!listening) {
    problems.push(
      `Temporal test server did not listen within ${TEST_SERVER_START_BUDGET_MS} ms: re-run \`npx icp provision\``,
    );
  }
  return { ready: listening, startMs, script: install.scriptPath };
}

async function eventLogHealthy(config: IcpConfig, problems: string[]): Promise<boolean> {
  try {
    const log = openEventLog(config.eventLog.url);
    try {
      await log.ping();
      return true;
    } finally {
      await log.close();
    }
  } catch (error) {
    problems.push(`event log ${redactEventLogUrl(config.eventLog.url)}: ${(error as Error).message}`);
    return false;
  }
}

function dataDirWritable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
