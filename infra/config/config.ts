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
}

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
    ...(databaseConfig && { database: databaseConfig }),
    ...(opsPort && { ops: { port: opsPort, host } }),
  };
}
