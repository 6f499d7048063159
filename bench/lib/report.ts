import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchArgs } from './args';

export const BENCH_DIR = resolve(__dirname, '..');
/** A local run's results: ignored by git, so measuring never dirties the checkout (README holds the table). */
export const RESULTS_DIR = join(BENCH_DIR, '.results');

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started: other work on the machine shows here. */
  loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch} ${kernelRelease()}`,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function kernelRelease(): string {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * A watchdog on this process's event loop: a tick more than a second late means the process was
 * stopped or starved (seen here: every process on the machine stopped for minutes while other work
 * ran). Such a run's figures are suspect, and the result says so.
 */
const TICK_MS = 250;
const stalls = { count: 0, totalMs: 0, longestMs: 0 };
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - lastTick - TICK_MS;
  lastTick = now;
  if (late > 1_000) {
    stalls.count += 1;
    stalls.totalMs += late;
    stalls.longestMs = Math.max(stalls.longestMs, late);
  }
}, TICK_MS).unref();

export interface BenchResult {
  bench: string;
  mode: 'quick' | 'full';
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  /** The benchmark's figures: rates in operations per second, latencies in milliseconds. */
  figures: Record<string, unknown>;
  /** Anything a reader must know to read the figures (what the baseline is, what is out of bounds). */
  notes: string[];
  /** Times this process's event loop was held up more than a second (stopped, starved or blocked). */
  stalls: { count: number; totalS: number; longestS: number };
}

/** Prints the result as one JSON line on stdout and writes `bench/.results/<name>.json`. */
export function emitResult(
  name: string,
  args: BenchArgs,
  startedMs: number,
  figures: Record<string, unknown>,
  notes: string[] = [],
): BenchResult {
  const result: BenchResult = {
    bench: name,
    mode: args.quick ? 'quick' : 'full',
    finishedAt: new Date().toISOString(),
    durationS: Math.round((performance.now() - startedMs) / 100) / 10,
    machine: machineInfo(),
    figures,
    notes:
      stalls.count > 0
        ? [
            ...notes,
            `this process was held up ${stalls.count} time(s) for ${Math.round(stalls.totalMs / 1000)} s in all (longest ${Math.round(stalls.longestMs / 1000)} s): figures that span it are suspect`,
          ]
        : notes,
    stalls: {
      count: stalls.count,
      totalS: Math.round(stalls.totalMs / 100) / 10,
      longestS: Math.round(stalls.longestMs / 100) / 10,
    },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}

/** Progress for the person watching: stderr, so stdout stays one JSON line. */
export function log(name: string, message: string): void {
  process.stderr.write(`[${name}] ${message}\n`);
}

/** Runs a benchmark's main, exiting non-zero with the error on stderr if it fails. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `[${name}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
