import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { loadConfig } from '../../../infra/config/config';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import type { EventLog } from '../../../events/ports/event-log.port';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionStore,
  type ReadModelRow,
  isProjectionName,
} from '../../../events/ports/read-models.port';
import {
  type RebuildOutcome,
  type VerifyOutcome,
  rebuildProjections,
  verifyProjections,
} from '../../../services/projections/rebuild';
import { openConfiguredReadModels } from '../../read-models';
import type { CliCommand, CliIo } from '../command';
import { ProgressBar } from '../progress-bar';

const USAGE = 'icp projections rebuild|status [--name N] [--verify] [--json]';

interface ProjectionsArgs {
  action: 'rebuild' | 'status';
  names: ProjectionName[];
  verify: boolean;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): ProjectionsArgs | 'help' {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h' || action === 'help') return 'help';
  if (action !== 'rebuild' && action !== 'status') {
    throw new UsageError(action ? `unknown action ${action}` : 'name an action: rebuild or status');
  }
  const parsed: ProjectionsArgs = { action, names: [...PROJECTION_NAMES], verify: false, json: false };
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') parsed.json = true;
    else if (arg === '--verify' && action === 'rebuild') parsed.verify = true;
    else if (arg === '--name' || arg.startsWith('--name=')) {
      const value = arg === '--name' ? rest[(i += 1)] : arg.slice('--name='.length);
      if (!value || !isProjectionName(value)) {
        throw new UsageError(`--name must be one of ${PROJECTION_NAMES.join(', ')}`);
      }
      parsed.names = [value];
    } else {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  return parsed;
}

function rowLine(side: string, table: string, row: ReadModelRow): string {
  return `  ${side.padEnd(14)} ${table} ${JSON.stringify(row)}`;
}

function verifyLines(outcome: VerifyOutcome): string[] {
  const at = `${outcome.rows.toLocaleString('en-US')} rows at position ${outcome.checkpoint}`;
  if (outcome.identical) return [`${outcome.projection}: identical (${at})`];
  const lines = [`${outcome.projection}: differs (${at})`];
  for (const table of outcome.tables) {
    if (table.onlyLiveCount + table.onlyRebuiltCount === 0) continue;
    lines.push(
      `  ${table.table}: ${table.onlyLiveCount} row(s) only in live, ${table.onlyRebuiltCount} only in the rebuild`,
    );
    table.onlyLive.forEach((row) => lines.push(rowLine('only in live', table.table, row)));
    table.onlyRebuilt.forEach((row) => lines.push(rowLine('only rebuilt', table.table, row)));
  }
  return lines;
}

function rebuildLine(outcome: RebuildOutcome, elapsedMs: number): string {
  return `${outcome.projection}: rebuilt from ${outcome.events.toLocaleString('en-US')} events in ${(elapsedMs / 1000).toFixed(1)} s; live at position ${outcome.checkpoint}`;
}

async function status(
  eventLog: EventLog,
  store: ProjectionStore,
  args: ProjectionsArgs,
  io: CliIo,
): Promise<number> {
  const head = await eventLog.headPosition();
  const rows = await Promise.all(
    args.names.map(async (name) => ({
      projection: name,
      checkpoint: await store.live(name).checkpoint(),
      head,
    })),
  );
  if (args.json) io.out(JSON.stringify(rows, null, 2));
  else rows.forEach((row) => io.out(`${row.projection}: at position ${row.checkpoint} of ${row.head}`));
  return 0;
}

function progressBar(args: ProjectionsArgs, io: CliIo): ProgressBar {
  const interactive = process.stderr.isTTY === true;
  const what = args.names.length === 1 ? args.names[0] : `${args.names.length} projections in one pass`;
  return new ProgressBar(`${args.verify ? 'verify' : 'rebuild'} ${what}`, {
    // On a terminal the bar redraws in place; in a log it is a line every few seconds.
    write: interactive ? (text) => process.stderr.write(text) : (text) => io.err(text.replace(/\n$/, '')),
    interactive,
  });
}

/** Rebuilds (or verifies) every projection named from one read of the log. */
async function rebuild(
  eventLog: EventLog,
  store: ProjectionStore,
  args: ProjectionsArgs,
  io: CliIo,
): Promise<number> {
  const bar = progressBar(args, io);
  const startedAt = Date.now();
  const options = {
    eventLog,
    store,
    names: args.names,
    onProgress: (progress: Parameters<ProgressBar['update']>[0]) => bar.update(progress),
  };
  if (args.verify) {
    const outcomes = await verifyProjections(options);
    bar.finish();
    if (args.json) io.out(JSON.stringify(outcomes, null, 2));
    else outcomes.flatMap(verifyLines).forEach((line) => io.out(line));
    return outcomes.every((outcome) => outcome.identical) ? 0 : 1;
  }
  const outcomes = await rebuildProjections(options);
  bar.finish();
  if (args.json) io.out(JSON.stringify(outcomes, null, 2));
  else outcomes.forEach((outcome) => io.out(rebuildLine(outcome, Date.now() - startedAt)));
  return 0;
}

/**
 * `icp projections rebuild [--name N] [--verify]`: rebuilds read models (every projection, or the one
 * named) from position 0 of the event log, read once for all, into shadow tables and swaps each in
 * atomically while the API keeps serving; with `--verify` compares the rebuild with the live tables
 * row by row instead (exit 1 when they differ).
 */
export const projectionsCommand: CliCommand = {
  name: 'projections',
  usage: USAGE,
  summary: 'rebuild read models from the event log (atomic swap), or --verify them row by row',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let parsed: ProjectionsArgs | 'help';
    try {
      parsed = parseArgs(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`icp projections: ${error.message} (usage: ${USAGE})`);
      return 2;
    }
    if (parsed === 'help') {
      io.out(`usage: ${USAGE}`);
      io.out(`projections: ${PROJECTION_NAMES.join(', ')}`);
      return 0;
    }
    const config = loadConfig();
    const eventLog = openEventLog(config.eventLog.url);
    const store = await openConfiguredReadModels(config, loadChineseCalendar());
    try {
      return parsed.action === 'status'
        ? await status(eventLog, store, parsed, io)
        : await rebuild(eventLog, store, parsed, io);
    } finally {
      await store.close();
      await eventLog.close();
    }
  },
};
