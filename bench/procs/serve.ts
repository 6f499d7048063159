import { getHeapStatistics } from 'node:v8';
import type { INestApplicationContext } from '@nestjs/common';
import { startHttpApp, startWorkerOnly } from '../../main/api/create-app';
import { loadConfig } from '../../infra/config/config';
import { startBenchApp } from '../app/bench-app.module';
import { startProfile } from '../lib/profiling';

/**
 * A server process for the benchmarks, configured from the environment like every `icp` command:
 * `api` is `icp api`, `worker` is `icp worker`, `app` is the API and the worker in one process (as in
 * `icp start`) with the bench's trivial routes. It answers the parent over IPC: `memory` (after a full
 * GC when started with --expose-gc), `profile-start` / `profile-stop` (a CPU profile of the main
 * thread for one phase, written to `file`) and `stop` (closes the application and exits, so a
 * --cpu-prof profile is written).
 */
type Role = 'api' | 'worker' | 'app';
type Request =
  { type: 'memory' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string } | { type: 'stop' };

const send = (message: unknown): void => {
  process.send?.(message);
};

async function start(role: Role): Promise<INestApplicationContext> {
  const config = loadConfig();
  switch (role) {
    case 'api':
      return startHttpApp(config, { worker: false });
    case 'worker':
      return startWorkerOnly(config);
    case 'app':
      return startBenchApp(config);
  }
}

async function main(): Promise<void> {
  const role = process.argv[2] as Role;
  if (!['api', 'worker', 'app'].includes(role))
    throw new Error(`role must be api, worker or app, got ${role}`);
  const app = await start(role);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    process.exit(0);
  };
  let stopProfile: ((file: string) => Promise<void>) | undefined;
  process.on('message', (request: Request) => {
    if (request.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      send({ type: 'memory', usage: process.memoryUsage(), heapLimit: getHeapStatistics().heap_size_limit });
    } else if (request.type === 'profile-start') {
      void startProfile().then((stopIt) => {
        stopProfile = stopIt;
        send({ type: 'profile-start' });
      });
    } else if (request.type === 'profile-stop') {
      void (stopProfile?.(request.file) ?? Promise.resolve()).then(() => send({ type: 'profile-stop' }));
      stopProfile = undefined;
    } else if (request.type === 'stop') {
      void stop();
    }
  });
  process.on('disconnect', () => void stop());
  send({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
