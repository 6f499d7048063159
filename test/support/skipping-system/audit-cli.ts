import { openEventLog } from '../../../infra/event-log/open-event-log';
import { createAuditCommand } from '../../../main/cli/commands/audit.command';
import type { SkippingSystem } from './skipping-system';

/**
 * `icp audit <args>` in this process, on the system's own event log (a connection of its own, as the
 * CLI opens one beside a running system): its exit code and what it printed.
 */
export async function runAudit(
  system: Pick<SkippingSystem, 'config'>,
  args: readonly string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const command = createAuditCommand({
    openEventLog: () => ({
      eventLog: openEventLog(system.config.eventLog.url),
      description: 'skipping system',
    }),
  });
  const code = await command.run(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}
