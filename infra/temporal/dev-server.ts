import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file that persists workflows across restarts. */
  dbFile: string;
  port: number;
  /** undefined: no Web UI (tests). */
  uiPort?: number;
  namespace: string;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

/** Starts `temporal server start-dev` and resolves once its frontend answers gRPC. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'error',
  ];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    await waitUntilServing(address, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stopChild(child, exited);
    const detail = stderrTail.trim().split('\n').slice(-3).join(' | ');
    throw new Error(
      `Temporal dev server did not start on ${address}: ${(error as Error).message}${detail ? ` — ${detail}` : ''}`,
    );
  }

  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
    pid: child.pid ?? -1,
    stop: () => stopChild(child, exited),
  };
}

async function waitUntilServing(
  address: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let processExit: number | null | undefined;
  void exited.then((code) => (processExit = code));
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (processExit !== undefined) throw new Error(`the server process exited with code ${processExit}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`not serving after ${timeoutMs} ms (${lastError})`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
