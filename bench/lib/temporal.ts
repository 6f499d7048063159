import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../infra/config/config';
import { freePort } from '../../infra/process/net';
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';

export interface BenchTemporal {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The provisioned Temporal CLI's dev server (`temporal server start-dev`, as `npm start` runs it),
 * headless, on a free port — with its in-memory store: `npm start` passes `--db-filename`, and on this
 * 2-core machine that SQLite persistence made the dev server 3–4× slower for the bare workflow and the
 * filing workflow alike (measured while writing these benchmarks), hiding the engine's own cost.
 */
export async function startBenchTemporal(progress: (line: string) => void): Promise<BenchTemporal> {
  const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir, onProgress: progress });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(
    cli.path,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--headless',
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`Temporal dev server exited with ${exitCode}: ${stderr.trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        break;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Temporal dev server not serving on ${address}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { address, pid: child.pid ?? -1, stop };
}

/** Resident set size of any process, in MiB (from /proc). */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
    return Math.round((kib / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}
