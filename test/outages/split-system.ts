import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../infra/config/config';
import { localSecretsAsEnvironment } from '../../infra/secrets/local-secret';
import { freePort } from '../../infra/process/net';
import { type DevServer, startDevServer } from '../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';
import { IcpProcess, isAlive, isolatedEnv } from '../system/icp-process';

/**
 * The system as separate processes on loopback, so Temporal can fail under a running API: a Temporal
 * dev server started here (the provisioned CLI, its database persisted in the data directory, a port
 * of its own), `icp worker` and `icp api` pointed at it with TEMPORAL_ADDRESS.
 */
export class SplitSystem {
  readonly env: NodeJS.ProcessEnv;
  readonly base: string;
  private readonly processes: IcpProcess[] = [];
  private temporal: DevServer | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly cliPath: string,
    private readonly temporalPort: number,
    apiPort: number,
  ) {
    this.base = `http://127.0.0.1:${apiPort}`;
    this.env = isolatedEnv({
      ICP_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      ...localSecretsAsEnvironment(dataDir),
    });
  }

  static async start(name: string): Promise<SplitSystem> {
    const dataDir = mkdtempSync(join(tmpdir(), `icp-${name}-`));
    const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir, install: false });
    const system = new SplitSystem(dataDir, cli.path, await freePort(), await freePort());
    try {
      await system.startTemporal();
      await Promise.all([system.spawn(['worker'], 'worker running'), system.spawn(['api'], 'api running')]);
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  get temporalPid(): number | undefined {
    return this.temporal?.pid;
  }

  /** The `icp worker` and `icp api` processes, for checking they are still alive. */
  get icpProcesses(): readonly IcpProcess[] {
    return this.processes;
  }

  /** Starts the dev server on its port with its database (again, after a kill: the same state). */
  async startTemporal(): Promise<void> {
    this.temporal = await startDevServer({
      cliPath: this.cliPath,
      dbFile: join(this.dataDir, 'temporal.sqlite'),
      port: this.temporalPort,
      namespace: 'default',
    });
  }

  /** SIGKILL, as a crash or a lost host would; resolves once the process is gone. */
  async killTemporal(): Promise<void> {
    const pid = this.temporal?.pid;
    if (pid === undefined) throw new Error('Temporal is not running');
    process.kill(pid, 'SIGKILL');
    await this.temporal?.stop();
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    this.temporal = undefined;
  }

  /** Stops the API and worker (SIGTERM), then Temporal, and removes the data directory. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGTERM')));
    await this.temporal?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async spawn(args: readonly string[], ready: string): Promise<void> {
    const process = new IcpProcess(args, this.env);
    this.processes.push(process);
    await process.waitForOutput(ready, 90_000);
  }
}
