import { startProjector } from '../../../services/projections/projector';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { loadConfig } from '../../../infra/config/config';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { shutdownSignal } from '../../../infra/process/signals';
import { openConfiguredReadModels } from '../../read-models';
import type { CliCommand, CliIo } from '../command';

/**
 * `icp projector`: keeps the read models up to date in a process of its own (run the API with
 * ICP_PROJECTOR=external). Killed at any moment, it resumes from the checkpoints committed with the rows.
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
    const store = await openConfiguredReadModels(config, loadChineseCalendar());
    let failed: Error | undefined;
    let wakeOnFailure: (() => void) | undefined;
    const failure = new Promise<void>((resolve) => (wakeOnFailure = resolve));
    const projector = startProjector({
      eventLog,
      store,
      onError: (error) => {
        failed = error;
        wakeOnFailure?.();
      },
    });
    io.out(`projector running: ${eventLog.description} → ${store.description}; Ctrl+C to stop`);
    projector
      .caughtUp()
      .then(async () => io.out(`projector caught up at position ${await store.lowestCheckpoint()}`))
      .catch(() => undefined);
    await Promise.race([shutdownSignal(), failure]);
    await projector.stop();
    await store.close();
    await eventLog.close();
    if (failed) {
      io.err(`icp projector: ${failed.message}`);
      return 1;
    }
    return 0;
  },
};
