import { createLogger, setProcessLogger } from '../../infra/logging/logger';
import { loadLogSettings } from '../../infra/logging/log-settings';
import { type CliIo, processIo } from './command';

/** The commands that run as long-lived processes and log, rather than print a result. */
const PROCESS_COMMANDS: ReadonlySet<string> = new Set(['start', 'api', 'worker', 'projector']);

/**
 * For a process command: the process's logger (ICP_LOG_FORMAT, ICP_LOG_LEVEL, validated here, so a bad
 * value stops start-up naming the variable) and, with JSON logs, the command's own lines as JSON lines
 * too — its stdout at `info`, its stderr at `warn`. Other commands print as they always did.
 */
export function processIoFor(command: string, io: CliIo): CliIo {
  if (!PROCESS_COMMANDS.has(command)) return io;
  const settings = loadLogSettings();
  const logger = createLogger(settings, `icp-${command}`);
  setProcessLogger(logger);
  // A caller's own io (a test's) keeps what it is given.
  if (settings.format !== 'json' || io !== processIo) return io;
  const lines = logger.child({ component: 'cli' });
  return { out: (line) => lines.info(line), err: (line) => lines.warn(line) };
}
