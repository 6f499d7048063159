import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
const bin = join(repoRoot, 'bin', 'icp.js');

/** The real `icp` entry point (the built CLI) as a child process, with its output captured. */
export class IcpProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c: Buffer) => (this.stdout += c.toString('utf8')));
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (!this.stdout.includes(text)) {
      if (exitCode !== undefined)
        throw new Error(`icp exited ${exitCode} before printing "${text}":\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`icp did not print "${text}" within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Runs `icp <args>` to completion. */
export async function runIcp(args: readonly string[], env: NodeJS.ProcessEnv) {
  const process = new IcpProcess(args, env);
  const code = await process.exited;
  return { code, stdout: process.stdout, stderr: process.stderr };
}

/** The environment of a fresh system: its own data directory, no cluster settings inherited. */
export function isolatedEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  delete env.EVENT_STORE_URL;
  delete env.DATABASE_URL;
  return { ...env, ...overrides };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
