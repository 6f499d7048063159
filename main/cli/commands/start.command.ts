import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startHttpApp } from '../../api/create-app';
import { describeWorkerTuning, type IcpConfig, loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { loadTrustProxy } from '../../../infra/config/trust-proxy';
import { redactEventLogUrl } from '../../../infra/event-log/event-log-url';
import { shutdownSignal } from '../../../infra/process/signals';
import { type DevServer, startDevServer } from '../../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../../infra/temporal/temporal-cli';
import type { CliCommand, CliIo } from '../command';

/** `npm start`: the Temporal dev server (unless TEMPORAL_ADDRESS is set), a worker and the API. */
export const startCommand: CliCommand = {
  name: 'start',
  usage: 'icp start',
  summary: 'start the whole system: Temporal dev server, worker and HTTP API',
  async run(_args, io) {
    const config = loadConfig();
    const trustProxy = loadTrustProxy();
    requireSecrets('start');
    const running: { devServer?: DevServer; app?: INestApplication } = {};
    const stop = async (): Promise<void> => {
      await running.app?.close();
      await running.devServer?.stop();
    };
    try {
      if (config.temporal.mode === 'embedded') running.devServer = await startEmbeddedTemporal(config, io);
      running.app = await startHttpApp(config, { worker: true }, { trustProxy });
    } catch (error) {
      io.err(`icp start: ${(error as Error).message}`);
      await stop();
      return 1;
    }
    printWhereEverythingIs(config, running.devServer, io);
    const signal = await shutdownSignal();
    io.err(`received ${signal}: stopping API, worker${running.devServer ? ' and Temporal dev server' : ''}…`);
    await stop();
    io.err('stopped');
    return 0;
  },
};

async function startEmbeddedTemporal(config: IcpConfig, io: CliIo): Promise<DevServer> {
  const cli = await resolveTemporalCli({
    cacheDir: config.cacheDir,
    onProgress: (line) => io.err(`  ${line}`),
  });
  io.err(`starting Temporal dev server ${cli.version} (${cli.path})`);
  return startDevServer({
    cliPath: cli.path,
    dbFile: join(config.dataDir, 'temporal.sqlite'),
    port: config.temporal.devServerPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
  });
}

function printWhereEverythingIs(config: IcpConfig, devServer: DevServer | undefined, io: CliIo): void {
  const api = `http://${config.http.host}:${config.http.port}`;
  io.out('ICP filing engine is up');
  io.out(`  API          ${api}  (health: ${api}/health)`);
  io.out(`  Console      ${api}/console`);
  io.out(
    `  Temporal     ${config.temporal.address}  (${devServer ? 'embedded dev server' : 'cluster'}, namespace ${config.temporal.namespace})`,
  );
  if (devServer?.uiUrl) io.out(`  Temporal UI  ${devServer.uiUrl}`);
  io.out(`  Worker       task queue ${config.temporal.taskQueue}  (${describeWorkerTuning(config.worker)})`);
  io.out(`  Event log    ${redactEventLogUrl(config.eventLog.url)}`);
  io.out(`  Data         ${config.dataDir}`);
  io.out('Press Ctrl+C to stop.');
}
