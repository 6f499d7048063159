import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BENCH_DIR } from './report';

export const REGISTER = join(BENCH_DIR, 'register.cjs');

/** `node -r bench/register.cjs <script>`: TypeScript straight from source, as `npm run bench` runs. */
export function nodeTsArgs(
  script: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): string[] {
  return [...execArgv, '-r', REGISTER, script, ...args];
}

/** CPU profile flags for a child, when profiling. */
export function cpuProfArgs(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export interface ServerChild {
  readonly pid: number;
  /** `process.memoryUsage()` after a full GC, and V8's heap limit, in bytes. */
  memory(): Promise<{ usage: NodeJS.MemoryUsage; heapLimit: number }>;
  /** Starts a CPU profile of the server's main thread. */
  startProfile(): Promise<void>;
  /** Stops it and writes it to `file`. */
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** Spawns a bench process speaking IPC and resolves once it says `ready`. */
async function spawnReady(
  label: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  execArgv: readonly string[],
): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    nodeTsArgs(resolve(BENCH_DIR, 'procs', script), args, execArgv),
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  child.stdout?.pipe(process.stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== 'ready') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    void exited.then((code) =>
      reject(new Error(`bench ${label} process exited with code ${code} before it was ready`)),
    );
  });
  return { child, exited };
}

/** Asks the child to stop and waits for it to exit (killing it after 20 s). */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** `bench/procs/bare-http.ts` on `env.PORT`: a bare Node `http` server answering the trivial route's JSON. */
export async function startBareHttpChild(
  env: NodeJS.ProcessEnv,
): Promise<{ readonly pid: number; stop(): Promise<void> }> {
  const { child, exited } = await spawnReady('bare-http', 'bare-http.ts', [], env, []);
  return { pid: child.pid ?? -1, stop: () => stopChild(child, exited) };
}

/**
 * Starts `bench/procs/serve.ts <role>` (or `options.script`, speaking the same IPC) with `env` and
 * resolves once it is serving. Its stdout goes to
 * this process's stderr, so the benchmark's stdout stays one JSON line.
 */
export async function startServerChild(
  role: 'api' | 'worker' | 'app',
  env: NodeJS.ProcessEnv,
  options: { profileDir?: string; script?: string } = {},
): Promise<ServerChild> {
  const { child, exited } = await spawnReady(role, options.script ?? 'serve.ts', [role], env, [
    '--expose-gc',
    ...cpuProfArgs(options.profileDir),
  ]);
  /** Sends `message` and resolves with the first reply of the same type. */
  const request = <T>(message: { type: string } & Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (reply: { type?: string }): void => {
        if (reply.type !== message.type) return;
        child.off('message', onMessage);
        resolve(reply as T);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error(`bench ${role} process exited`)));
      child.send(message);
    });
  return {
    pid: child.pid ?? -1,
    async memory() {
      const reply = await request<{ usage: NodeJS.MemoryUsage; heapLimit?: number }>({ type: 'memory' });
      return { usage: reply.usage, heapLimit: reply.heapLimit ?? Number.NaN };
    },
    async startProfile() {
      await request({ type: 'profile-start' });
    },
    async stopProfile(file: string) {
      await request({ type: 'profile-stop', file });
    },
    stop: () => stopChild(child, exited),
  };
}
