import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { EventLog } from '../../../events/ports/event-log.port';
import {
  type ImportFormat,
  type ImportRecord,
  UnusableImportFile,
  importRecords,
} from '../../../events/registry/import-file';
import { serviceStreamId } from '../../../events/registry/registry-streams';
import { chinaDateOfEpochMs } from '../../../events/working-days/china-time';
import { loadConfig } from '../../../infra/config/config';
import { redactEventLogUrl } from '../../../infra/event-log/event-log-url';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import {
  type RegistryImportReport,
  importRegistrySubjects,
} from '../../../services/registry/registry-import';
import type { TreeHeadSigner } from '../../../services/transparency/tree-head';
import { configuredTreeHeadSigner } from '../../api/tree-head-signer';
import type { CliCommand, CliIo } from '../command';
import { ProgressBar } from '../progress-bar';
import {
  TRANSPARENCY_EXIT,
  type TransparencyDeps,
  checkConsistency,
  parseSavedHead,
  printTreeHead,
  proveService,
} from './registry-transparency';

const USAGE = [
  'icp registry import <file.jsonl|file.csv> [--dry-run] [--json] [--by <operator>]',
  'icp registry sth',
  'icp registry prove <serviceNumber>',
  'icp registry check-consistency <oldSTH.json>',
].join(' | ');

/**
 * Exit codes: every line imported or already present; some lines bad (the good ones landed); the file,
 * the usage or the event log unusable.
 */
export const REGISTRY_IMPORT_EXIT = { imported: 0, badLines: 1, unusable: 2 } as const;

export interface RegistryCommandDeps {
  openEventLog(): { eventLog: EventLog; description: string };
  readTextFile(path: string): Promise<string>;
  now(): number;
  /** Where the progress bar is drawn, and whether that is a terminal (else a line now and then). */
  progress: { write(text: string): void; interactive: boolean };
  /** The key tree heads are signed with, and where this host keeps the leaves it has seen. */
  transparency(): { signer: TreeHeadSigner; witnessFile: string };
}

const defaultDeps: RegistryCommandDeps = {
  openEventLog: () => {
    const { url } = loadConfig().eventLog;
    return { eventLog: openEventLog(url), description: redactEventLogUrl(url) };
  },
  readTextFile: (path) => readFile(path, 'utf8'),
  now: () => Date.now(),
  progress: {
    write: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  },
  transparency: () => {
    const { dataDir } = loadConfig();
    return { signer: configuredTreeHeadSigner(dataDir), witnessFile: join(dataDir, WITNESS_FILE) };
  },
};

/** Under the data directory: the leaf hashes of the largest transparency tree this host has seen. */
const WITNESS_FILE = 'transparency/leaf-hashes.bin';

interface ImportArgs {
  file: string;
  format: ImportFormat;
  dryRun: boolean;
  json: boolean;
  by: string;
}

class UsageError extends Error {}

const ACTIONS = ['import', 'sth', 'prove', 'check-consistency'] as const;
type TransparencyAction = Exclude<(typeof ACTIONS)[number], 'import'>;

function isTransparencyAction(action: string | undefined): action is TransparencyAction {
  return action === 'sth' || action === 'prove' || action === 'check-consistency';
}

const FORMATS: Readonly<Record<string, ImportFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
};

function parseArgs(args: readonly string[]): ImportArgs | 'help' {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h' || action === 'help') return 'help';
  if (action !== 'import')
    throw new UsageError(action ? `unknown action ${action}` : `name an action: ${ACTIONS.join(', ')}`);
  const files: string[] = [];
  const parsed = { dryRun: false, json: false, by: 'cli' };
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--dry-run') parsed.dryRun = true;
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--by' || arg.startsWith('--by=')) {
      const by = arg === '--by' ? rest[++i] : arg.slice('--by='.length);
      if (by === undefined || by.trim() === '' || by.startsWith('--'))
        throw new UsageError('--by needs a value');
      parsed.by = by;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1)
    throw new UsageError(files.length === 0 ? 'name the file to import' : 'give exactly one file');
  const file = files[0] as string;
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) throw new UsageError(`cannot tell the format of ${file}: name it .jsonl or .csv`);
  return { file, format, ...parsed };
}

function summaryLines(report: RegistryImportReport): string[] {
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    `${report.dryRun ? 'dry run (nothing written): ' : ''}${count(report.linesRead)} lines read, ${count(report.subjects)} subjects`,
    `subjects imported: ${count(report.subjectsImported)}, already present: ${count(report.alreadyPresent)}, websites recorded: ${count(report.websitesRecorded)}`,
    `bad lines: ${count(report.badLines)}`,
    ...report.errors.map(
      (error) => `line ${error.line}: ${error.field || '(line)'}: ${error.rule}: ${error.message}`,
    ),
  ];
}

/** The file's subjects, or undefined when it cannot be read (reported on one line). */
async function readRecords(
  args: ImportArgs,
  deps: RegistryCommandDeps,
  io: CliIo,
): Promise<ImportRecord[] | undefined> {
  try {
    const text = await deps.readTextFile(args.file);
    return importRecords(args.format, text, chinaDateOfEpochMs(deps.now()));
  } catch (error) {
    const reason =
      error instanceof UnusableImportFile
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    io.err(`icp registry import: cannot read ${args.file}: ${reason}`);
    return undefined;
  }
}

async function runImport(args: ImportArgs, deps: RegistryCommandDeps, io: CliIo): Promise<number> {
  const records = await readRecords(args, deps, io);
  if (!records) return REGISTRY_IMPORT_EXIT.unusable;
  let opened: { eventLog: EventLog; description: string };
  try {
    opened = deps.openEventLog();
  } catch (error) {
    io.err(`icp registry import: cannot open the event log: ${(error as Error).message}`);
    return REGISTRY_IMPORT_EXIT.unusable;
  }
  const bar = new ProgressBar(`import ${records.length.toLocaleString('en-US')} subjects`, {
    ...deps.progress,
    unit: 'subjects',
    now: deps.now,
  });
  let report: RegistryImportReport;
  try {
    report = await importRegistrySubjects(opened.eventLog, records, {
      dryRun: args.dryRun,
      operatorId: args.by,
      occurredAt: new Date(deps.now()).toISOString(),
      onProgress: (done, total) => bar.update({ position: done, head: total, events: done }),
    });
  } catch (error) {
    // Batches written so far stay: a re-run compares with them and completes the import.
    io.err(
      `icp registry import: the event log ${opened.description} failed: ${(error as Error).message}; run the import again to complete it`,
    );
    return REGISTRY_IMPORT_EXIT.unusable;
  } finally {
    await opened.eventLog.close();
  }
  bar.finish();
  if (args.json) io.out(JSON.stringify({ file: args.file, format: args.format, ...report }, null, 2));
  else summaryLines(report).forEach((line) => io.out(line));
  return report.badLines > 0 ? REGISTRY_IMPORT_EXIT.badLines : REGISTRY_IMPORT_EXIT.imported;
}

/** The one argument of a transparency action (none for `sth`), or a usage line on stderr. */
function transparencyArgument(action: TransparencyAction, rest: readonly string[], io: CliIo): string | null {
  const wanted = action === 'sth' ? 0 : 1;
  if (rest.length === wanted && !rest.some((arg) => arg.startsWith('-'))) return rest[0] ?? '';
  const what = action === 'prove' ? 'a service number' : 'the saved tree head file';
  io.err(
    `icp registry ${action}: ${wanted === 0 ? 'takes no arguments' : `give exactly ${what}`} (usage: ${USAGE})`,
  );
  return null;
}

async function runTransparency(
  action: TransparencyAction,
  rest: readonly string[],
  deps: RegistryCommandDeps,
  io: CliIo,
): Promise<number> {
  const argument = transparencyArgument(action, rest, io);
  if (argument === null) return TRANSPARENCY_EXIT.unusable;
  let saved: ReturnType<typeof parseSavedHead> | undefined;
  if (action === 'check-consistency') {
    saved = await deps
      .readTextFile(argument)
      .then(parseSavedHead, (error: NodeJS.ErrnoException) => error.code ?? error.message);
    if (typeof saved === 'string') {
      io.err(`icp registry check-consistency: ${argument} is not a saved tree head: ${saved}`);
      return TRANSPARENCY_EXIT.unusable;
    }
  }
  if (action === 'prove' && !isServiceNumber(argument)) {
    io.err(
      `icp registry prove: serviceNumber ${JSON.stringify(argument)} is not a service number (e.g. 粤ICP备2026000001号-1A)`,
    );
    return TRANSPARENCY_EXIT.unusable;
  }
  let opened: { eventLog: EventLog; description: string };
  let keys: ReturnType<RegistryCommandDeps['transparency']>;
  try {
    keys = deps.transparency();
    opened = deps.openEventLog();
  } catch (error) {
    io.err(
      `icp registry ${action}: cannot open the signing key or the event log: ${(error as Error).message}`,
    );
    return TRANSPARENCY_EXIT.unusable;
  }
  const transparency: TransparencyDeps = { eventLog: opened.eventLog, now: deps.now, ...keys };
  try {
    if (action === 'sth') return await printTreeHead(transparency, io);
    if (action === 'prove') return await proveService(argument, transparency, io);
    return await checkConsistency(saved as Exclude<typeof saved, string | undefined>, transparency, io);
  } catch (error) {
    io.err(`icp registry ${action}: the event log ${opened.description} failed: ${(error as Error).message}`);
    return TRANSPARENCY_EXIT.unusable;
  } finally {
    await opened.eventLog.close();
  }
}

function isServiceNumber(text: string): boolean {
  try {
    serviceStreamId(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `icp registry import <file>`: loads subjects registered before this system, and their websites,
 * into the registry (docs/registry.md). Idempotent: what the registry holds is not written again.
 * Bad lines are reported with line, field and rule and exit 1; the good ones land. An unreadable file,
 * an unknown format or bad usage: one line on stderr, exit 2.
 */
export function createRegistryCommand(overrides: Partial<RegistryCommandDeps> = {}): CliCommand {
  const deps: RegistryCommandDeps = { ...defaultDeps, ...overrides };
  return {
    name: 'registry',
    usage: USAGE,
    summary:
      'import subjects and websites registered before this system (JSONL or CSV); print, prove and check the transparency log',
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const [action, ...rest] = args;
      if (isTransparencyAction(action)) return runTransparency(action, rest, deps, io);
      let parsed: ImportArgs | 'help';
      try {
        parsed = parseArgs(args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.err(`icp registry: ${error.message} (usage: ${USAGE})`);
        return REGISTRY_IMPORT_EXIT.unusable;
      }
      if (parsed === 'help') {
        io.out(`usage: ${USAGE}`);
        return REGISTRY_IMPORT_EXIT.imported;
      }
      return runImport(parsed, deps, io);
    },
  };
}

export const registryCommand: CliCommand = createRegistryCommand();
