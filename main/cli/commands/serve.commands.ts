import type { INestApplicationContext } from '@nestjs/common';
import { startHttpApp, startWorkerOnly } from '../../api/create-app';
import { loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { loadTrustProxy } from '../../../infra/config/trust-proxy';
import { shutdownSignal } from '../../../infra/process/signals';
import type { CliCommand, CliIo } from '../command';

async function serveUntilSignal(
  what: string,
  start: () => Promise<INestApplicationContext>,
  io: CliIo,
): Promise<number> {
  let app: INestApplicationContext;
  try {
    app = await start();
  } catch (error) {
    io.err(`icp ${what}: ${(error as Error).message}`);
    return 1;
  }
  io.out(`${what} running; Ctrl+C to stop`);
  await shutdownSignal();
  await app.close();
  return 0;
}

export const workerCommand: CliCommand = {
  name: 'worker',
  usage: 'icp worker',
  summary: 'run a Temporal worker only (scale out against TEMPORAL_ADDRESS)',
  run: (_args, io) => {
    const config = loadConfig();
    requireSecrets('worker');
    return serveUntilSignal('worker', () => startWorkerOnly(config), io);
  },
};

export const apiCommand: CliCommand = {
  name: 'api',
  usage: 'icp api',
  summary: 'run the HTTP API only, without a worker',
  run: (_args, io) => {
    const config = loadConfig();
    const trustProxy = loadTrustProxy();
    requireSecrets('api');
    return serveUntilSignal('api', () => startHttpApp(config, { worker: false }, { trustProxy }), io);
  },
};
