import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { isDatabaseUrl } from '../postgres/database-url';

/**
 * The one configuration every entry point reads (`npm start`, `icp …`, tests), so a command run
 * beside a started system finds it.
 */
export interface IcpConfig {
  /** Persisted state: Temporal's database, the event log, read models. */
  dataDir: string;
  /** Provisioned tools (Temporal CLI, test-server classpath), shared by every checkout. */
  cacheDir: string;
  http: { port: number; host: string };
  temporal: {
    /** `embedded`: the project starts a dev server; `cluster`: TEMPORAL_ADDRESS points at one. */
    mode: 'embedded' | 'cluster';
    address: string;
    namespace: string;
    taskQueue: string;
    devServerPort: number;
    uiPort: number;
    tls?: { serverName?: string; clientCertPath?: string; clientKeyPath?: string; serverRootCaPath?: string };
  };
  eventLog: { url: string };
  /**
   * DATABASE_URL (`postgres://…`): the stores moved to PostgreSQL so far (the Idempotency-Keys, the
   * SMS challenges) are shared by every host there; absent, they stay in SQLite files under dataDir.
   * Holds the password: print it only through redactDatabaseUrl.
   */
  database?: { url: string };
  /** `in-process`: the API process runs the projector; `external`: `icp projector` runs it. */
  projector: 'in-process' | 'external';
  /**
   * ICP_OPS_PORT (on HOST): the `icp worker` and `icp projector` processes' own /livez, /readyz and
   * /metrics listener; absent, they open none.
   */
  ops?: { port: number; host: string };
  /** How much the Temporal worker keeps in memory and runs at once. */
  worker: WorkerTuning;
}

/**
 * The defaults suit a 2-core, 4 GiB host: bench/memory.ts measures the curve they were chosen from
 * (bench/PROFILE.md, "memory").
 */
export interface WorkerTuning {
  /** Open workflows kept cached; past it the least recently used one replays on its next task. */
  cachedWorkflows: number;
  /** Workflow tasks run at once (never more than the cache holds, unless the cache is off). */
  workflowTasks: number;
  /** Activities run at once. */
  activities: number;
}

export const WORKER_TUNING_DEFAULTS: WorkerTuning = {
  cachedWorkflows: 100,
  workflowTasks: 20,
  activities: 50,
};

export const TEMPORAL_CLI_VERSION = '1.5.1';

type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name}: must be a TCP port between 1 and 65535, got "${raw}"`);
  }
  return value;
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name}: must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** ICP_WORKER_CACHE_WORKFLOWS, ICP_WORKER_WORKFLOW_TASKS, ICP_WORKER_ACTIVITIES. */
function workerTuning(env: Env): WorkerTuning {
  const defaults = WORKER_TUNING_DEFAULTS;
  const cachedWorkflows = wholeNumber(
    env,
    'ICP_WORKER_CACHE_WORKFLOWS',
    defaults.cachedWorkflows,
    0,
    1_000_000,
  );
  // The SDK would quietly raise a cache of 1 to 2, and lower a task limit above the cache to it.
  if (cachedWorkflows === 1) {
    throw new ConfigError('ICP_WORKER_CACHE_WORKFLOWS: must be 0 (no cache) or at least 2, got "1"');
  }
  const fallbackTasks = Math.min(defaults.workflowTasks, cachedWorkflows || Infinity);
  const workflowTasks = wholeNumber(env, 'ICP_WORKER_WORKFLOW_TASKS', fallbackTasks, 2, 10_000);
  if (cachedWorkflows > 0 && workflowTasks > cachedWorkflows) {
    throw new ConfigError(
      `ICP_WORKER_WORKFLOW_TASKS: must not exceed ICP_WORKER_CACHE_WORKFLOWS (${cachedWorkflows}) unless that is 0, got "${workflowTasks}"`,
    );
  }
  const activities = wholeNumber(env, 'ICP_WORKER_ACTIVITIES', defaults.activities, 1, 10_000);
  return { cachedWorkflows, workflowTasks, activities };
}

/** One line for start-up output and logs. */
export function describeWorkerTuning(tuning: WorkerTuning): string {
  const cache =
    tuning.cachedWorkflows === 0 ? 'no workflow cache' : `caches ${tuning.cachedWorkflows} workflows`;
  return `${cache}; ${tuning.workflowTasks} workflow tasks and ${tuning.activities} activities at once`;
}

function nonEmpty(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function projectorMode(env: Env): IcpConfig['projector'] {
  const raw = nonEmpty(env, 'ICP_PROJECTOR') ?? 'in-process';
  if (raw !== 'in-process' && raw !== 'external') {
    throw new ConfigError(`ICP_PROJECTOR: must be in-process or external, got "${raw}"`);
  }
  return raw;
}

function database(env: Env): IcpConfig['database'] {
  const url = nonEmpty(env, 'DATABASE_URL');
  if (url === undefined) return undefined;
  // The value is never repeated: it may carry the password.
  if (!isDatabaseUrl(url)) {
    throw new ConfigError(
      'DATABASE_URL: must be a postgres:// or postgresql:// URL with a host, e.g. postgres://icp@db.example:5432/icp',
    );
  }
  return { url };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): IcpConfig {
  const dataDir = resolve(cwd, nonEmpty(env, 'ICP_DATA_DIR') ?? 'data');
  const cacheDir = resolve(cwd, nonEmpty(env, 'ICP_CACHE_DIR') ?? resolve(homedir(), '.cache', 'icp-filing'));
  const devServerPort = port(env, 'TEMPORAL_PORT', 7233);
  const clusterAddress = nonEmpty(env, 'TEMPORAL_ADDRESS');
  const tlsEnabled = env.TEMPORAL_TLS === 'true' || !!nonEmpty(env, 'TEMPORAL_TLS_CERT');
  const databaseConfig = database(env);
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const opsPort = nonEmpty(env, 'ICP_OPS_PORT') && port(env, 'ICP_OPS_PORT', 0);
  const worker = workerTuning(env);

  return {
    dataDir,
    cacheDir,
    http: { port: port(env, 'PORT', 3000), host },
    temporal: {
      mode: clusterAddress ? 'cluster' : 'embedded',
      address: clusterAddress ?? `127.0.0.1:${devServerPort}`,
      namespace: nonEmpty(env, 'TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: nonEmpty(env, 'TEMPORAL_TASK_QUEUE') ?? 'icp-filing',
      devServerPort,
      uiPort: port(env, 'TEMPORAL_UI_PORT', 8233),
      tls: tlsEnabled
        ? {
            serverName: nonEmpty(env, 'TEMPORAL_TLS_SERVER_NAME'),
            clientCertPath: nonEmpty(env, 'TEMPORAL_TLS_CERT'),
            clientKeyPath: nonEmpty(env, 'TEMPORAL_TLS_KEY'),
            serverRootCaPath: nonEmpty(env, 'TEMPORAL_TLS_CA'),
          }
        : undefined,
    },
    eventLog: { url: nonEmpty(env, 'EVENT_STORE_URL') ?? `sqlite:${resolve(dataDir, 'events.sqlite')}` },
    projector: projectorMode(env),
    worker,
    ...(databaseConfig && { database: databaseConfig }),
    ...(opsPort && { ops: { port: opsPort, host } }),
  };
}
