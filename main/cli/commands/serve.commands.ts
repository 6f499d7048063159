import type { INestApplicationContext } from '@nestjs/common';
import { startHttpApp, startWorkerOnly } from '../../api/create-app';
import { type IcpConfig, loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { loadTrustProxy } from '../../../infra/config/trust-proxy';
import type { OpsServer } from '../../../infra/ops-http/ops-server';
import { shutdownSignal } from '../../../infra/process/signals';
import { installWorkerRuntimeWithMetrics, startWorkerOps } from '../../worker/worker-ops';
import { WorkerService } from '../../worker/worker.service';
import type { CliCommand, CliIo } from '../command';

async function serveUntilSignal(
  what: string,
  start: () => Promise<INestApplicationContext>,
  io: CliIo,
  ops?: OpsServer,
): Promise<number> {
  let app: INestApplicationContext;
  try {
    app = await start();
  } catch (error) {
    io.err(`icp ${what}: ${(error as Error).message}`);
    await ops?.close();
    return 1;
  }
  io.out(`${what} running${ops ? `; ops on ${ops.url}` : ''}; Ctrl+C to stop`);
  await shutdownSignal();
  await ops?.close();
  await app.close();
  return 0;
}

/** With ICP_OPS_PORT, the worker's ops listener (started first: /livez answers while it connects). */
async function serveWorker(config: IcpConfig, io: CliIo): Promise<number> {
  let app: INestApplicationContext | undefined;
  let ops: OpsServer | undefined;
  try {
    const temporalMetrics = config.ops && (await installWorkerRuntimeWithMetrics());
    ops = await startWorkerOps(config, temporalMetrics, () => app?.get(WorkerService));
  } catch (error) {
    io.err(`icp worker: ${(error as Error).message}`);
    return 1;
  }
  return serveUntilSignal('worker', async () => (app = await startWorkerOnly(config)), io, ops);
}

export const workerCommand: CliCommand = {
  name: 'worker',
  usage: 'icp worker',
  summary: 'run a Temporal worker only (scale out against TEMPORAL_ADDRESS)',
  run: (_args, io) => {
    const config = loadConfig();
    requireSecrets('worker');
    return serveWorker(config, io);
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
