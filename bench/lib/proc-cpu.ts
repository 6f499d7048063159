import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (sysconf(_SC_CLK_TCK); 100 on Linux). */
const TICKS_PER_S = 100;

/** A process by id, this process, or only this process's main thread (where its JavaScript runs). */
export type CpuTarget = number | 'self' | 'self-main-thread';

const statPath = (target: CpuTarget): string =>
  target === 'self-main-thread' ? `/proc/self/task/${process.pid}/stat` : `/proc/${target}/stat`;

/**
 * CPU time (user + system) a process has used so far, every thread (or only the main thread), in
 * milliseconds; NaN if unknown.
 */
export function cpuMs(target: CpuTarget): number {
  try {
    const stat = readFileSync(statPath(target), 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return ((user + system) * 1000) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** CPU used by each named process between `start` and `stop`, in milliseconds. */
export class CpuMeter<Name extends string> {
  private readonly started: Record<Name, number>;
  private readonly used: Record<Name, number>;

  constructor(private readonly pids: Record<Name, CpuTarget>) {
    const names = Object.keys(pids) as Name[];
    this.started = Object.fromEntries(names.map((name) => [name, Number.NaN])) as Record<Name, number>;
    this.used = Object.fromEntries(names.map((name) => [name, 0])) as Record<Name, number>;
  }

  start(): void {
    for (const name of Object.keys(this.pids) as Name[]) this.started[name] = cpuMs(this.pids[name]);
  }

  stop(): void {
    for (const name of Object.keys(this.pids) as Name[]) {
      this.used[name] += cpuMs(this.pids[name]) - this.started[name];
    }
  }

  /** Milliseconds of CPU per operation for each process, over every start…stop so far. */
  perOperation(operations: number): Record<Name, number> {
    return Object.fromEntries(
      (Object.keys(this.pids) as Name[]).map((name) => [
        name,
        Math.round((this.used[name] / Math.max(1, operations)) * 100) / 100,
      ]),
    ) as Record<Name, number>;
  }
}
