import type { EventLog } from '../../../events/ports/event-log.port';
import type { ReadModelStore } from '../../../events/ports/read-models.port';
import { type ProjectorState, startLeasedProjector } from '../../../services/projections/projector-standby';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { type IcpConfig, loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { shutdownSignal } from '../../../infra/process/signals';
import { openProjectorLease } from '../../projector/projector-lease';
import { startProjectorOps } from '../../projector/projector-ops';
import { openConfiguredReadModels } from '../../read-models';
import type { CliCommand, CliIo } from '../command';

function describeState(state: ProjectorState, lease: string | undefined): string {
  switch (state.role) {
    case 'active':
      return lease ? `projector active: holds the ${lease}` : 'projector active';
    case 'standby':
      return `projector standing by: ${state.reason ?? `another process holds the ${lease}`}`;
    default:
      return `projector ${state.role}${state.reason ? `: ${state.reason}` : ''}`;
  }
}

/** Runs the (leased) projector until a signal or a failure; the exit code says which. */
async function project(
  config: IcpConfig,
  eventLog: EventLog,
  store: ReadModelStore,
  io: CliIo,
): Promise<number> {
  const lease = openProjectorLease(config);
  let failed: Error | undefined;
  let wakeOnFailure: (() => void) | undefined;
  const failure = new Promise<void>((resolve) => (wakeOnFailure = resolve));
  const projector = startLeasedProjector({
    eventLog,
    store,
    lease,
    onError: (error) => {
      failed = error;
      wakeOnFailure?.();
    },
    onStateChange: (state) => {
      io.out(describeState(state, lease?.description));
      if (state.role !== 'active') return;
      projector
        .caughtUp()
        .then(async () => io.out(`projector caught up at position ${await store.lowestCheckpoint()}`))
        .catch(() => undefined);
    },
  });
  const ops = await startProjectorOps(config, { eventLog, store, state: projector.state }).catch(
    async (error: Error) => {
      await projector.stop();
      throw error;
    },
  );
  io.out(
    `projector running: ${eventLog.description} → ${store.description}${ops ? `; ops on ${ops.url}` : ''}; Ctrl+C to stop`,
  );
  await Promise.race([shutdownSignal(), failure]);
  await ops?.close();
  await projector.stop();
  if (failed) {
    io.err(`icp projector: ${failed.message}`);
    return 1;
  }
  return 0;
}

/**
 * `icp projector`: keeps the read models up to date in a process of its own (run the API with
 * ICP_PROJECTOR=external). Killed at any moment, it resumes from the checkpoints committed with the
 * rows. With DATABASE_URL several may run: one holds the lease and applies, the others stand by.
 */
export const projectorCommand: CliCommand = {
  name: 'projector',
  usage: 'icp projector',
  summary: 'run the read-model projections as their own process (API with ICP_PROJECTOR=external)',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args.length > 0) {
      io.err(`icp projector: unexpected argument ${args[0]} (usage: icp projector)`);
      return 2;
    }
    const config = loadConfig();
    requireSecrets('projector');
    const eventLog = openEventLog(config.eventLog.url);
    const store = await openConfiguredReadModels(config, loadChineseCalendar()).catch(
      async (error: Error) => {
        await eventLog.close();
        throw error;
      },
    );
    try {
      return await project(config, eventLog, store, io);
    } catch (error) {
      io.err(`icp projector: ${(error as Error).message}`);
      return 1;
    } finally {
      await store.close();
      await eventLog.close();
    }
  },
};
