import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../infra/config/config';
import { prepareStatements } from '../../infra/event-log/sqlite/event-rows';
import { localSecretsAsEnvironment } from '../../infra/secrets/local-secret';
import { freePort } from '../../infra/process/net';
import { type DevServer, startDevServer } from '../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';
import { IcpProcess, isAlive, isolatedEnv } from '../system/icp-process';

/**
 * The system under test as separate processes sharing one data directory, every one on loopback and
 * on ports of its own: the Temporal dev server (its SQLite database persisted in the data directory,
 * started straight from the provisioned CLI), `icp worker`, `icp api` (ICP_PROJECTOR=external) and
 * `icp projector`. A supervisor SIGKILLs and restarts any one of them and keeps a timeline.
 */

export const COMPONENTS = ['temporal', 'worker', 'api', 'projector'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface TimelineEntry {
  /** Seconds since the system was created. */
  readonly t: number;
  readonly at: string;
  readonly component: Component;
  readonly what: 'started' | 'killed' | 'exited' | 'failed to start';
  readonly detail?: string;
}

/** What each `icp` process prints once it serves. */
const READY: Record<Exclude<Component, 'temporal'>, string> = {
  worker: 'worker running',
  api: 'api running',
  projector: 'projector running',
};

const START_TIMEOUT_MS = 45_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Running {
  readonly pid: number;
  /** Set when the supervisor kills or stops it, so its exit is not reported as a crash. */
  expectedExit: boolean;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<unknown>;
  readonly output: () => string;
}

export class FaultSystem {
  readonly timeline: TimelineEntry[] = [];
  /** Exits nobody asked for (a component that died on its own), with the tail of its output. */
  readonly crashes: TimelineEntry[] = [];
  readonly env: NodeJS.ProcessEnv;
  readonly apiBase: string;
  readonly temporalAddress: string;
  private readonly running = new Map<Component, Running>();
  private readonly startedAt = Date.now();
  private forget: () => void = () => undefined;

  private constructor(
    readonly dataDir: string,
    private readonly cliPath: string,
    private readonly ports: { temporal: number; api: number },
  ) {
    this.apiBase = `http://127.0.0.1:${ports.api}`;
    this.temporalAddress = `127.0.0.1:${ports.temporal}`;
    this.env = isolatedEnv({
      ICP_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: this.temporalAddress,
      PORT: String(ports.api),
      HOST: '127.0.0.1',
      ICP_PROJECTOR: 'external',
      ...localSecretsAsEnvironment(dataDir),
    });
  }

  /** A fresh data directory and all four components started (Temporal first: the worker needs it). */
  static async start(name: string): Promise<FaultSystem> {
    const dataDir = mkdtempSync(join(tmpdir(), `icp-faults-${name}-`));
    const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir, install: false });
    const system = new FaultSystem(dataDir, cli.path, { temporal: await freePort(), api: await freePort() });
    // Should the test runner give up on a test and exit, nothing started here outlives it.
    const killAll = () => system.running.forEach((running) => running.kill('SIGKILL'));
    process.once('exit', killAll);
    system.forget = () => process.removeListener('exit', killAll);
    try {
      await system.startComponent('temporal');
      await Promise.all([
        system.startComponent('worker'),
        system.startComponent('api'),
        system.startComponent('projector'),
      ]);
    } catch (error) {
      await system.shutdown();
      throw error;
    }
    return system;
  }

  get eventLogFile(): string {
    return join(this.dataDir, 'events.sqlite');
  }

  /** Position of the last event in the log, read read-only as another process would (0 before any). */
  logHead(): number {
    try {
      const db = new Database(this.eventLogFile, { readonly: true, fileMustExist: true });
      try {
        return prepareStatements(db).head.get()?.position ?? 0;
      } finally {
        db.close();
      }
    } catch {
      return 0;
    }
  }

  isRunning(component: Component): boolean {
    return this.running.has(component);
  }

  pidOf(component: Component): number | undefined {
    return this.running.get(component)?.pid;
  }

  /** Starts a component and resolves once it serves; retries while a dependency is still coming up. */
  async startComponent(component: Component): Promise<void> {
    if (this.running.has(component)) throw new Error(`${component} is already running`);
    const deadline = Date.now() + START_TIMEOUT_MS;
    let lastError = '';
    while (Date.now() < deadline) {
      try {
        const running =
          component === 'temporal' ? await this.spawnTemporal() : await this.spawnIcp(component);
        this.running.set(component, running);
        this.record(component, 'started', `pid ${running.pid}`);
        void running.exited.then(() => {
          this.saveOutput(component, running);
          this.onExit(component, running);
        });
        return;
      } catch (error) {
        lastError = (error as Error).message;
        this.record(component, 'failed to start', lastLine(lastError));
        await pause(500);
      }
    }
    throw new Error(`${component} did not start within ${START_TIMEOUT_MS} ms: ${lastError}`);
  }

  /** SIGKILL, no warning; resolves once the process is gone. */
  async kill(component: Component): Promise<void> {
    const running = this.running.get(component);
    if (!running) throw new Error(`${component} is not running`);
    running.expectedExit = true;
    this.running.delete(component);
    running.kill('SIGKILL');
    await running.exited;
    while (isAlive(running.pid)) await pause(20);
    this.record(component, 'killed', `SIGKILL pid ${running.pid}`);
  }

  async restart(component: Component): Promise<void> {
    await this.kill(component);
    await this.startComponent(component);
  }

  /** Stops what still runs (SIGTERM, then SIGKILL) and, unless kept, removes the data directory. */
  async shutdown(options: { keepData?: boolean } = {}): Promise<void> {
    const order: Component[] = ['api', 'projector', 'worker', 'temporal'];
    for (const component of order) {
      const running = this.running.get(component);
      if (!running) continue;
      running.expectedExit = true;
      this.running.delete(component);
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await running.exited;
      clearTimeout(timer);
    }
    this.forget();
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The timeline as lines for a report: `+12.3s worker killed (SIGKILL pid 123)`. */
  timelineLines(): string[] {
    return this.timeline.map(
      (entry) =>
        `+${entry.t.toFixed(1)}s ${entry.at.slice(11, 23)} ${entry.component} ${entry.what}${entry.detail ? ` (${entry.detail})` : ''}`,
    );
  }

  count(component: Component, what: TimelineEntry['what']): number {
    return this.timeline.filter((entry) => entry.component === component && entry.what === what).length;
  }

  private record(component: Component, what: TimelineEntry['what'], detail?: string): TimelineEntry {
    const now = Date.now();
    const entry = {
      t: (now - this.startedAt) / 1000,
      at: new Date(now).toISOString(),
      component,
      what,
      detail,
    };
    this.timeline.push(entry);
    return entry;
  }

  /** Each process's output, kept in `<dataDir>/logs/` for a post-mortem (ICP_FAULTS_KEEP_DATA=1). */
  private saveOutput(component: Component, running: Running): void {
    const text = running.output();
    if (!text) return;
    try {
      mkdirSync(join(this.dataDir, 'logs'), { recursive: true });
      appendFileSync(join(this.dataDir, 'logs', `${component}-${running.pid}.log`), `${text}\n`);
    } catch {
      // the data directory may already be gone at shutdown
    }
  }

  private onExit(component: Component, running: Running): void {
    if (running.expectedExit) return;
    if (this.running.get(component) === running) this.running.delete(component);
    this.crashes.push(this.record(component, 'exited', `unexpectedly: ${lastLine(running.output())}`));
  }

  private async spawnTemporal(): Promise<Running> {
    const server: DevServer = await startDevServer({
      cliPath: this.cliPath,
      dbFile: join(this.dataDir, 'temporal.sqlite'),
      port: this.ports.temporal,
      namespace: 'default',
      readyTimeoutMs: 30_000,
    });
    const pid = server.pid;
    // startDevServer owns the child; its exit shows as the pid disappearing.
    const exited = (async () => {
      while (isAlive(pid)) await pause(100);
    })();
    return {
      pid,
      expectedExit: false,
      kill: (signal) => {
        if (signal === 'SIGTERM') void server.stop();
        else if (isAlive(pid)) process.kill(pid, signal);
      },
      exited,
      output: () => '',
    };
  }

  private async spawnIcp(component: Exclude<Component, 'temporal'>): Promise<Running> {
    const child = new IcpProcess([component], this.env);
    try {
      await child.waitForOutput(READY[component], 40_000);
    } catch (error) {
      await child.stop('SIGKILL');
      throw error;
    }
    return {
      pid: child.pid,
      expectedExit: false,
      kill: (signal) => void child.stop(signal),
      exited: child.exited,
      output: () => `${child.stdout}\n${child.stderr}`.trim(),
    };
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
