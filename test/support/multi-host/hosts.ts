import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../infra/config/config';
import { freePort } from '../../../infra/process/net';
import { type DevServer, startDevServer } from '../../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../../infra/temporal/temporal-cli';
import { IcpProcess, isAlive, isolatedEnv, runIcp } from '../../system/icp-process';
import { type PostgresCluster, startPostgresCluster } from '../postgres-cluster';

/**
 * A deployment of several hosts on one machine: one Temporal dev server and one PostgreSQL (the
 * shared services), then `icp api`, `icp worker` and `icp projector` as separate OS processes, each
 * with a data directory of its own (nothing shared on disk), all given the same cluster settings and
 * secrets through the environment, as hosts behind a load balancer would be.
 */

export type HostRole = 'api' | 'worker' | 'projector';

export interface Layout {
  readonly apis: number;
  readonly workers: number;
  readonly projectors: number;
}

export interface Host {
  /** `api-1`, `worker-2`, … */
  readonly name: string;
  readonly role: HostRole;
  readonly dataDir: string;
  readonly pid: number;
  /** `http://127.0.0.1:<PORT>` for an API host. */
  readonly base?: string;
  /** `http://127.0.0.1:<ICP_OPS_PORT>`: a worker's or projector's /livez, /readyz and /metrics. */
  readonly ops?: string;
  /** False once killed or exited. */
  alive: boolean;
  /** Set when the harness killed it, so its exit is not reported as a crash. */
  killed: boolean;
  readonly process: IcpProcess;
}

/** What each `icp` process prints once it serves. */
const RUNNING: Record<HostRole, string> = {
  api: 'api running',
  worker: 'worker running',
  projector: 'projector running',
};
const START_TIMEOUT_MS = 90_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fresh 32-byte secrets in the variables every host reads (`infra/config/secrets-config.ts`). */
export function generatedSecrets(): Record<string, string> {
  const hex = () => randomBytes(32).toString('hex');
  return {
    ICP_SECRET_JWT: hex(),
    ICP_SECRET_SMS_ANSWER: hex(),
    ICP_SECRET_SMS_CODE_PEPPER: hex(),
    TEMPORAL_PAYLOAD_KEYS: `k1=${hex()}`,
    ICP_REGISTRY_SIGNING_KEYS: `r1=${hex()}`,
  };
}

export class MultiHostCluster {
  readonly hosts: Host[] = [];
  /** Exits nobody asked for, with the tail of the host's output. */
  readonly crashes: string[] = [];
  private readonly directories: string[] = [];
  /** Each host's output once it exits (kept with ICP_MULTI_HOST_KEEP_DATA=1). */
  private readonly logsDir: string;
  private forgetExitHook: () => void = () => undefined;

  private constructor(
    readonly name: string,
    readonly temporal: DevServer,
    readonly postgres: PostgresCluster,
    /** What every host shares: TEMPORAL_ADDRESS, DATABASE_URL, EVENT_STORE_URL and the secrets. */
    readonly sharedEnv: Readonly<Record<string, string>>,
  ) {
    this.logsDir = this.newDirectory('logs');
  }

  /** The shared services first, then every host at once; resolves when all of them serve. */
  static async start(name: string, layout: Layout): Promise<MultiHostCluster> {
    const [temporal, postgres] = await bothOrNeither(startTemporal(name), startPostgresCluster());
    const sharedEnv = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url,
      EVENT_STORE_URL: postgres.url,
      ...generatedSecrets(),
    };
    const cluster = new MultiHostCluster(name, temporal, postgres, sharedEnv);
    const killAll = () => cluster.hosts.forEach((host) => host.alive && host.process.child.kill('SIGKILL'));
    process.once('exit', killAll);
    cluster.forgetExitHook = () => process.removeListener('exit', killAll);
    try {
      const starts: Promise<Host>[] = [];
      for (const [role, count] of [
        ['api', layout.apis],
        ['worker', layout.workers],
        ['projector', layout.projectors],
      ] as const) {
        for (let n = 1; n <= count; n += 1) starts.push(cluster.startHost(role, `${role}-${n}`));
      }
      await Promise.all(starts);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /**
   * The environment of a host of `role`: the shared settings, its own data directory, and its port:
   * the API's PORT, or a worker's or projector's ICP_OPS_PORT.
   */
  envFor(role: HostRole | 'cli', dataDir: string, port?: number): NodeJS.ProcessEnv {
    const portVariable = role === 'api' ? 'PORT' : 'ICP_OPS_PORT';
    return isolatedEnv({
      ...this.sharedEnv,
      ICP_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      ...(port !== undefined ? { [portVariable]: String(port) } : {}),
      ...(role === 'api' ? { ICP_PROJECTOR: 'external' } : {}),
    });
  }

  /** Runs `icp <args>` as an operator would on a host of its own (its own empty data directory). */
  async runCli(args: readonly string[]) {
    const dataDir = this.newDirectory('cli');
    try {
      return await runIcp(args, this.envFor('cli', dataDir));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  byRole(role: HostRole): Host[] {
    return this.hosts.filter((host) => host.role === role);
  }

  host(name: string): Host {
    const found = this.hosts.find((host) => host.name === name);
    if (!found) throw new Error(`no host ${name}`);
    return found;
  }

  /** The host named by a worker identity (`<pid>@<hostname>`, as `icp worker` sets it). */
  hostOfIdentity(identity: string): string {
    const pid = Number(identity.split('@')[0]);
    return this.hosts.find((host) => host.pid === pid)?.name ?? `unknown (${identity})`;
  }

  /** SIGKILL, no warning; resolves once the process is gone. Not restarted. */
  async kill(name: string): Promise<void> {
    const host = this.host(name);
    host.killed = true;
    host.process.child.kill('SIGKILL');
    await host.process.exited;
    while (isAlive(host.pid)) await pause(20);
    host.alive = false;
  }

  /** SIGTERM every host still up (SIGKILL after 10 s), then the shared services; removes every directory. */
  async stop(): Promise<void> {
    await Promise.all(
      this.hosts
        .filter((host) => host.alive)
        .map(async (host) => {
          host.killed = true;
          const timer = setTimeout(() => host.process.child.kill('SIGKILL'), 10_000);
          await host.process.stop('SIGTERM');
          clearTimeout(timer);
        }),
    );
    this.forgetExitHook();
    await this.temporal.stop();
    await this.postgres.stop();
    if (process.env.ICP_MULTI_HOST_KEEP_DATA !== '1') {
      for (const dir of this.directories) rmSync(dir, { recursive: true, force: true });
    }
  }

  /** What each host left in its data directory (relative paths), e.g. `{ 'api-1': [] }`. */
  dataDirectoryContents(): Record<string, string[]> {
    return Object.fromEntries(
      this.hosts.map((host) => [
        host.name,
        readdirSync(host.dataDir, { recursive: true }).map(String).sort(),
      ]),
    );
  }

  private newDirectory(what: string): string {
    const dir = mkdtempSync(join(tmpdir(), `icp-${this.name}-${what}-`));
    this.directories.push(dir);
    return dir;
  }

  private async startHost(role: HostRole, name: string): Promise<Host> {
    const dataDir = this.newDirectory(name);
    const port = await freePort();
    const child = new IcpProcess([role], this.envFor(role, dataDir, port));
    const url = `http://127.0.0.1:${port}`;
    const host: Host = {
      name,
      role,
      dataDir,
      pid: child.pid,
      ...(role === 'api' ? { base: url } : { ops: url }),
      alive: true,
      killed: false,
      process: child,
    };
    this.hosts.push(host);
    void child.exited.then((code) => {
      host.alive = false;
      appendFileSync(join(this.logsDir, `${name}.log`), `${child.stdout}\n${child.stderr}\n`);
      if (!host.killed) this.crashes.push(`${name} exited ${code} on its own: ${tail(child.stderr)}`);
    });
    await child.waitForOutput(RUNNING[role], START_TIMEOUT_MS);
    await untilReady(url, START_TIMEOUT_MS);
    return host;
  }
}

/** Both started, or whichever started stopped again and the failure thrown. */
async function bothOrNeither(
  temporal: Promise<DevServer>,
  postgres: Promise<PostgresCluster>,
): Promise<[DevServer, PostgresCluster]> {
  const [t, p] = await Promise.allSettled([temporal, postgres]);
  if (t.status === 'fulfilled' && p.status === 'fulfilled') return [t.value, p.value];
  if (t.status === 'fulfilled') await t.value.stop();
  if (p.status === 'fulfilled') await p.value.stop();
  throw t.status === 'rejected' ? t.reason : (p as PromiseRejectedResult).reason;
}

async function startTemporal(name: string): Promise<DevServer> {
  const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir, install: false });
  const dir = mkdtempSync(join(tmpdir(), `icp-${name}-temporal-`));
  const server = await startDevServer({
    cliPath: cli.path,
    dbFile: join(dir, 'temporal.sqlite'),
    port: await freePort(),
    namespace: 'default',
    readyTimeoutMs: 60_000,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `GET /readyz` until 200, as a load balancer's (or an orchestrator's) health check admits a host. */
export async function untilReady(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await pause(250);
  }
  throw new Error(`${base}/readyz not 200 within ${timeoutMs} ms: ${last}`);
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ').slice(0, 600);
}
