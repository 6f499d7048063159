import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { nodeTsArgs } from './child';
import { BENCH_DIR } from './report';

export interface VerifyServer {
  readonly pid: number;
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts bench/procs/verify-serve.ts with `env`; resolves once it listens. Its stdout goes to our stderr. */
export async function startVerifyServer(env: NodeJS.ProcessEnv): Promise<VerifyServer> {
  const script = join(BENCH_DIR, 'procs', 'verify-serve.ts');
  const child: ChildProcess = spawn(process.execPath, nodeTsArgs(script, []), {
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout?.pipe(process.stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves with the child's first message of `type`. */
  const reply = (type: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { type?: string }): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`verify bench server exited with code ${code}`)));
    });
  await reply('ready');
  const ask = async (message: { type: string; file?: string }): Promise<void> => {
    const answered = reply(message.type);
    child.send(message);
    await answered;
  };
  return {
    pid: child.pid ?? -1,
    startProfile: () => ask({ type: 'profile-start' }),
    stopProfile: (file) => ask({ type: 'profile-stop', file }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
