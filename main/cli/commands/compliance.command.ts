import { readFile, writeFile } from 'node:fs/promises';
import { runDeadlineSweep } from '../../../activities/compliance/sweep/deadline-sweep';
import { isCalendarDate } from '../../../events/calendar-date';
import type { SweepSummary } from '../../../events/compliance/inventory/sweep';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { openConfiguredComplianceStore } from '../../../infra/compliance/open-compliance-store';
import { ConfigError, loadConfig } from '../../../infra/config/config';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { sweepItemsCsv } from '../../../services/compliance/sweep.service';
import { openConfiguredReadModels } from '../../read-models';
import type { CliCommand, CliIo } from '../command';
import { ProgressBar } from '../progress-bar';
import { inventoryObjects } from './compliance-files';

const USAGE = [
  'icp compliance report-inventory <file.jsonl|csv> [--reported-on YYYY-MM-DD] [--json] [--api URL] [--token TOKEN]',
  'icp compliance sweep --as-of YYYY-MM-DD [--json] [--csv FILE]',
].join('\n       ');

class UsageError extends Error {}

/** `--name value` or `--name=value` at `args[i]`: the value and the index it was read at. */
function optionValue(args: readonly string[], i: number, name: string): [string, number] {
  const arg = args[i] ?? '';
  const value = arg === name ? args[i + 1] : arg.slice(name.length + 1);
  if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
  return [value, arg === name ? i + 1 : i];
}

interface Options {
  positional: string[];
  json: boolean;
  values: Record<string, string>;
}

function parseOptions(args: readonly string[], names: readonly string[]): Options | 'help' {
  const parsed: Options = { positional: [], json: false, values: {} };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const name = names.find((candidate) => arg === candidate || arg.startsWith(`${candidate}=`));
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') parsed.json = true;
    else if (name) [parsed.values[name], i] = optionValue(args, i, name);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else parsed.positional.push(arg);
  }
  return parsed;
}

function dateOption(options: Options, name: string): string | undefined {
  const value = options.values[name];
  if (value !== undefined && !isCalendarDate(value))
    throw new UsageError(`${name} must be a date YYYY-MM-DD`);
  return value;
}

/** The API a system started here with the same settings listens on. */
function localApi(): string {
  try {
    const { host, port } = loadConfig().http;
    return `http://${host}:${port}`;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}; or give --api`);
    throw error;
  }
}

interface ApiAnswer {
  status: number;
  body: { errors?: Array<{ path: string; rule: string; message: string }>; detail?: string } & Record<
    string,
    unknown
  >;
}

async function postInventory(
  api: string,
  token: string,
  reportedOn: string | undefined,
  lines: unknown[],
): Promise<ApiAnswer> {
  const query = reportedOn ? `?reportedOn=${reportedOn}` : '';
  let response: Response;
  try {
    response = await fetch(`${api}/v1/compliance/inventories${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lines }),
    });
  } catch {
    throw new UsageError(`no API answers at ${api} (--api or ICP_API_URL)`);
  }
  return { status: response.status, body: (await response.json().catch(() => ({}))) as ApiAnswer['body'] };
}

/** Exit codes: reported; the API refused the report (errors listed); the command could not run. */
export const REPORT_EXIT = { reported: 0, refused: 1, unusable: 2 } as const;

async function reportInventory(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseOptions(args, ['--reported-on', '--api', '--token']);
  if (options === 'help') return help(io);
  if (options.positional.length !== 1) throw new UsageError('give one inventory file');
  const file = options.positional[0]!;
  const token = options.values['--token'] ?? env.ICP_TOKEN;
  if (!token)
    throw new UsageError('give --token or ICP_TOKEN (such as `icp token --role isp --isp-name NAME`)');
  const api = (options.values['--api'] ?? env.ICP_API_URL ?? localApi()).replace(/\/+$/, '');
  const objects = inventoryObjects(await readFile(file, 'utf8'), file);
  const answer = objects.ok
    ? await postInventory(api, token, dateOption(options, '--reported-on'), objects.value)
    : { status: 400, body: { errors: objects.errors } };
  if (options.json) io.out(JSON.stringify(answer.body));
  if (answer.status === 200 || answer.status === 201) {
    if (!options.json) io.out(reportLine(answer));
    return REPORT_EXIT.reported;
  }
  if (!options.json) {
    io.err(`${file}: refused (${answer.status}) ${answer.body.detail ?? ''}`.trimEnd());
    for (const error of answer.body.errors ?? []) io.err(`  ${error.path}: ${error.rule}: ${error.message}`);
  }
  return answer.status === 400 ? REPORT_EXIT.refused : REPORT_EXIT.unusable;
}

function reportLine(answer: ApiAnswer): string {
  const { reportedOn, lines, counts } = answer.body as {
    reportedOn: string;
    lines: number;
    counts: Record<string, number>;
  };
  const what = answer.status === 201 ? 'reported' : 'already reported (same lines)';
  const byStatus = Object.entries(counts)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return `${what} for ${reportedOn}: ${lines} lines (${byStatus})`;
}

function summaryLines(summary: SweepSummary): string[] {
  return [
    `sweep as of ${summary.asOf}: ${summary.counts.overdue} of ${summary.counts.lines} reported services overdue`,
    'by province:',
    ...summary.byProvince.map((entry) => `  ${entry.province}  ${entry.overdue}`),
    'by party:',
    ...summary.byParty.map((entry) => `  ${entry.party}  ${entry.overdue}`),
  ];
}

/** The sweep in this process against the configured stores, as the schedule's workflow runs it. */
async function sweep(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseOptions(args, ['--as-of', '--csv']);
  if (options === 'help') return help(io);
  if (options.positional.length > 0) throw new UsageError(`unexpected argument ${options.positional[0]}`);
  const asOf = dateOption(options, '--as-of');
  if (!asOf) throw new UsageError('give --as-of YYYY-MM-DD');
  const config = loadConfig();
  const eventLog = openEventLog(config.eventLog.url);
  const registry = await openConfiguredReadModels(config, loadChineseCalendar());
  const store = await openConfiguredComplianceStore(config);
  try {
    const interactive = process.stderr.isTTY === true;
    const bar = new ProgressBar(`sweep as of ${asOf}`, {
      write: interactive ? (text) => process.stderr.write(text) : (text) => io.err(text.replace(/\n$/, '')),
      interactive,
      unit: 'lines',
    });
    const summary = await runDeadlineSweep({ eventLog, registry, store }, asOf, {
      recordedBy: { role: 'admin', id: 'icp-cli' },
      causationId: `cli-sweep-${asOf}`,
      onProgress: (done, total) => bar.update({ position: done, head: total, events: done }),
    });
    bar.finish();
    if (options.values['--csv'])
      await writeFile(options.values['--csv'], sweepItemsCsv(await store.sweepItems(asOf, {})));
    if (options.json) io.out(JSON.stringify(summary));
    else summaryLines(summary).forEach((line) => io.out(line));
    return 0;
  } finally {
    await store.close();
    await registry.close();
    await eventLog.close();
  }
}

function help(io: CliIo): number {
  io.out(`usage: ${USAGE}`);
  return 0;
}

export const complianceCommand: CliCommand = {
  name: 'compliance',
  usage: USAGE,
  summary: 'report a party’s inventory (over the API), or run the deadline sweep as of a date',
  async run(args, io) {
    const [action, ...rest] = args;
    try {
      if (action === 'report-inventory') return await reportInventory(rest, io, process.env);
      if (action === 'sweep') return await sweep(rest, io);
      if (action === undefined || action === '--help' || action === '-h' || action === 'help')
        return help(io);
      throw new UsageError(`unknown action ${action}: report-inventory or sweep`);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`icp compliance: ${error.message}`);
      io.err(`usage: ${USAGE}`);
      return 2;
    }
  },
};
