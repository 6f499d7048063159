import { isCalendarDate } from '../../../events/calendar-date';
import { filingStreamId } from '../../../events/filing/stream-ids';
import type { ChainHasher } from '../../../events/ids';
import { isProvinceCode } from '../../../events/provinces';
import type { WorkingDayCalendar } from '../../../events/working-days/working-day-calendar';
import {
  type FilingSelection,
  listFilingsToAudit,
  readFilingHistory,
} from '../../../services/audit/audit-loader';
import type { AuditFinding, AuditReport, TemporalCrossCheck } from '../../../services/audit/audit-report';
import { auditFilingHistory, withTemporalCrossCheck } from '../../../services/audit/filing-audit';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { loadConfig } from '../../../infra/config/config';
import { redactEventLogUrl } from '../../../infra/event-log/event-log-url';
import type { EventLog, RecordedEvent } from '../../../events/ports/event-log.port';
import { openEventLog } from '../../../infra/event-log/open-event-log';
import { lazyClient, pingTemporal } from '../../../infra/temporal/connection';
import { crossCheckWithTemporal } from '../../../services/audit/temporal-cross-check';
import type { CliCommand, CliIo } from '../command';
import { ProgressBar } from '../progress-bar';
import { replayLines, verifyFindingLine, verifySummaryLine } from './audit-format';
import { auditStreams, DEFAULT_READ_CONCURRENCY, type StreamAuditContext } from './audit-streams';
import {
  registryFindingLine,
  registrySummaryLine,
  type RegistryTarget,
  replayRegistry,
  verifyRegistry,
} from './audit-registry';
import { registryStreamKindOf } from '../../../events/registry/registry-transitions';
import { complianceStreamKindOf } from '../../../events/compliance/compliance-streams';
import {
  complianceFindingLine,
  complianceSummaryLine,
  replayCompliance,
  verifyCompliance,
} from './audit-compliance';
import {
  SERVICE_NUMBER_EXAMPLE,
  SUBJECT_NUMBER_EXAMPLE,
  serviceNumberOf,
  subjectNumberOf,
} from '../../../services/http/registration-number-params';

const USAGE =
  'icp audit replay <filingId> | replay --subject N [--province P] | replay --service N | replay --stream ID | verify --all|--province P|--since YYYY-MM-DD [--json]';

/** Exit codes: every history verified; at least one finding; the command could not audit. */
export const AUDIT_EXIT = { verified: 0, findings: 1, unusable: 2 } as const;

/**
 * Compares a filing's report with its workflow's own history in Temporal and returns what it found,
 * for `withTemporalCrossCheck` to fold into the report.
 */
export type TemporalCrossChecker = (
  filingId: string,
  recorded: readonly RecordedEvent[],
  report: AuditReport,
) => Promise<{ check: TemporalCrossCheck; findings: readonly AuditFinding[] }>;

/** How long a replay waits for Temporal before reporting `checked: false` with the reason. */
const TEMPORAL_TIMEOUT_MS = 5_000;
/** A replay beside a stopped system should not wait long to learn that Temporal is down. */
const PING_TIMEOUT_MS = 1_000;

/** The configured Temporal (embedded dev server or TEMPORAL_ADDRESS), asked with a deadline. */
const crossCheckConfiguredTemporal: TemporalCrossChecker = async (filingId, recorded, report) => {
  const config = loadConfig();
  const { client, connection } = lazyClient(config);
  // The connection is left to the process's exit: a retry timer firing on a closed channel throws.
  const answered = await Promise.race([
    pingTemporal(connection, PING_TIMEOUT_MS).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), PING_TIMEOUT_MS).unref()),
  ]);
  if (answered !== undefined) {
    const reason = `Temporal at ${config.temporal.address} is not reachable (${answered.split('\n')[0]})`;
    return { check: { checked: false, reason }, findings: [] };
  }
  return crossCheckWithTemporal(client, filingId, recorded, {
    timeoutMs: TEMPORAL_TIMEOUT_MS,
    status: report.status,
  });
};

export interface AuditCommandDeps {
  /** The event log to audit; default: the configured one (EVENT_STORE_URL or the data directory's file). */
  openEventLog(): { eventLog: EventLog; description: string };
  calendar(): WorkingDayCalendar;
  /** Used by `replay` only; default: the configured Temporal; absent = not asked. */
  crossCheckTemporal?: TemporalCrossChecker;
  /** Streams `verify` reads at once; default DEFAULT_READ_CONCURRENCY (the benchmark measures others). */
  readConcurrency?: number;
  /** The chain's digests; default node:crypto (the benchmark passes events/' pure one for comparison). */
  hasher?: ChainHasher;
}

const defaultDeps: AuditCommandDeps = {
  openEventLog: () => {
    const { url } = loadConfig().eventLog;
    return { eventLog: openEventLog(url), description: redactEventLogUrl(url) };
  },
  calendar: () => loadChineseCalendar(),
  crossCheckTemporal: crossCheckConfiguredTemporal,
};

type Selector = { kind: 'all' } | { kind: 'province'; province: string } | { kind: 'since'; since: string };

type AuditArgs =
  | { action: 'replay'; filingId: string; json: boolean }
  | { action: 'replay-registry'; target: RegistryTarget; json: boolean }
  | { action: 'replay-compliance'; streamId: string; json: boolean }
  | { action: 'verify'; selector: Selector; json: boolean };

class UsageError extends Error {}

/** The value of `--name V` or `--name=V`; moves past it. */
function optionValue(args: readonly string[], index: number, name: string): string {
  const arg = args[index] ?? '';
  const value = arg === name ? args[index + 1] : arg.slice(name.length + 1);
  if (value === undefined || value === '' || (arg === name && value.startsWith('--'))) {
    throw new UsageError(`${name} needs a value`);
  }
  return value;
}

function parseArgs(args: readonly string[]): AuditArgs | 'help' {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h' || action === 'help') return 'help';
  if (action !== 'replay' && action !== 'verify') {
    throw new UsageError(action ? `unknown action ${action}` : 'name an action: replay or verify');
  }
  let json = false;
  const positional: string[] = [];
  const selectors: Selector[] = [];
  const registry: Array<{ name: RegistryOption; value: string }> = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') json = true;
    else if (action === 'verify' && arg === '--all') selectors.push({ kind: 'all' });
    else if (action === 'replay' && registryOption(arg)) {
      const name = registryOption(arg) as RegistryOption;
      registry.push({ name, value: optionValue(rest, i, name) });
      if (arg === name) i += 1;
    } else if (arg === '--province' || arg.startsWith('--province=')) {
      const province = optionValue(rest, i, '--province');
      if (arg === '--province') i += 1;
      if (!isProvinceCode(province)) {
        throw new UsageError(`--province needs a province code (GB/T 2260, e.g. 440000), got ${province}`);
      }
      selectors.push({ kind: 'province', province });
    } else if (action === 'verify' && (arg === '--since' || arg.startsWith('--since='))) {
      const since = optionValue(rest, i, '--since');
      if (arg === '--since') i += 1;
      if (!isCalendarDate(since)) throw new UsageError('--since needs a real date written YYYY-MM-DD');
      selectors.push({ kind: 'since', since });
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (action === 'replay') return replayArgs(positional, registry, selectors, json);
  if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
  const [selector, ...others] = selectors;
  if (!selector || others.length > 0) {
    throw new UsageError('choose exactly one of --all, --province P, --since YYYY-MM-DD');
  }
  return { action, selector, json };
}

const REGISTRY_OPTIONS = ['--subject', '--service', '--stream'] as const;
type RegistryOption = (typeof REGISTRY_OPTIONS)[number];

function registryOption(arg: string): RegistryOption | undefined {
  return REGISTRY_OPTIONS.find((name) => arg === name || arg.startsWith(`${name}=`));
}

function registryTarget(option: { name: RegistryOption; value: string }, province?: string): RegistryTarget {
  const { name, value } = option;
  if (name !== '--subject' && province !== undefined) throw new UsageError('--province goes with --subject');
  switch (name) {
    case '--subject': {
      const subject = subjectNumberOf(value);
      if (!subject)
        throw new UsageError(`--subject needs a subject number such as ${SUBJECT_NUMBER_EXAMPLE}`);
      return { kind: 'subject', ...subject, provinceCode: province ?? subject.provinceCode };
    }
    case '--service': {
      const serviceNumber = serviceNumberOf(value);
      if (!serviceNumber)
        throw new UsageError(`--service needs a service number such as ${SERVICE_NUMBER_EXAMPLE}`);
      return { kind: 'service', serviceNumber };
    }
    case '--stream':
      if (registryStreamKindOf(value) === undefined)
        throw new UsageError(`${value} is not a registry or compliance stream id`);
      return { kind: 'stream', streamId: value };
  }
}

/** A filing by its id, or one registry stream by --subject, --service or --stream. */
function replayArgs(
  positional: readonly string[],
  registry: ReadonlyArray<{ name: RegistryOption; value: string }>,
  selectors: readonly Selector[],
  json: boolean,
): AuditArgs {
  const [option, ...others] = registry;
  if (selectors.length > 1) throw new UsageError('--province given more than once');
  const province = selectors.find((selector) => selector.kind === 'province')?.province;
  if (option) {
    if (others.length > 0 || positional.length > 0) {
      throw new UsageError('name one of a filing, --subject, --service or --stream');
    }
    if (option.name === '--stream' && complianceStreamKindOf(option.value) !== undefined) {
      if (province !== undefined) throw new UsageError('--province goes with --subject');
      return { action: 'replay-compliance', streamId: option.value, json };
    }
    return { action: 'replay-registry', target: registryTarget(option, province), json };
  }
  if (province !== undefined) throw new UsageError('--province goes with --subject');
  if (positional.length === 0)
    throw new UsageError('name the filing (or --subject, --service, --stream) to replay');
  if (positional.length > 1) throw new UsageError(`unexpected argument ${positional[1]}`);
  return { action: 'replay', filingId: positional[0] as string, json };
}

/** The log could not be opened or read: reported on one line, exit 2. */
class UnreadableLog extends Error {}

async function reading<T>(description: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new UnreadableLog(`cannot read the event log ${description}: ${(error as Error).message}`);
  }
}

async function replay(
  eventLog: EventLog,
  description: string,
  args: { filingId: string; json: boolean },
  deps: AuditCommandDeps,
  io: CliIo,
): Promise<number> {
  const recorded = await reading(description, () => readFilingHistory(eventLog, args.filingId));
  if (recorded.length === 0) {
    io.err(`icp audit: no filing ${args.filingId} in the event log ${description}`);
    return AUDIT_EXIT.unusable;
  }
  let report = auditFilingHistory(args.filingId, recorded, { calendar: deps.calendar() });
  // Without a checker (tests that pass none) the report keeps `not asked`.
  if (deps.crossCheckTemporal) {
    const { check, findings } = await deps.crossCheckTemporal(args.filingId, recorded, report);
    report = withTemporalCrossCheck(report, check, findings);
  }
  if (args.json) io.out(JSON.stringify(report, null, 2));
  else replayLines(report).forEach((line) => io.out(line));
  return report.verdict === 'verified' ? AUDIT_EXIT.verified : AUDIT_EXIT.findings;
}

async function replayRegistryStream(
  eventLog: EventLog,
  description: string,
  args: { target: RegistryTarget; json: boolean },
  io: CliIo,
): Promise<number> {
  const report = await reading(description, () => replayRegistry(eventLog, args.target, args.json, io));
  if ('missing' in report) {
    io.err(`icp audit: ${report.missing} ${description}`);
    return AUDIT_EXIT.unusable;
  }
  return report.verdict === 'verified' ? AUDIT_EXIT.verified : AUDIT_EXIT.findings;
}

async function replayComplianceStream(
  eventLog: EventLog,
  description: string,
  args: { streamId: string; json: boolean },
  io: CliIo,
): Promise<number> {
  const report = await reading(description, () => replayCompliance(eventLog, args.streamId, args.json, io));
  if ('missing' in report) {
    io.err(`icp audit: ${report.missing} ${description}`);
    return AUDIT_EXIT.unusable;
  }
  return report.verdict === 'verified' ? AUDIT_EXIT.verified : AUDIT_EXIT.findings;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line every few seconds in a log. */
function progressBar(label: string, io: CliIo): ProgressBar {
  const interactive = process.stderr.isTTY === true;
  return new ProgressBar(label, {
    write: interactive ? (text) => process.stderr.write(text) : (text) => io.err(text.replace(/\n$/, '')),
    interactive,
  });
}

interface VerifySummary {
  filings: number;
  verified: number;
  withFindings: number;
  findings: Array<{ filingId: string } & AuditFinding>;
}

type FilingOutcome = { filingId: string; verdict: AuditReport['verdict']; findings: AuditFinding[] };

/** Every selected filing's stream audited through the shared pool of readers; only outcomes are kept. */
async function verifyFilings(
  context: StreamAuditContext,
  selection: FilingSelection,
  calendar: WorkingDayCalendar,
  io: CliIo,
): Promise<FilingOutcome[]> {
  const filings = await context.read(() => listFilingsToAudit(context.eventLog, selection));
  const bar = progressBar(`audit ${filings.length.toLocaleString('en-US')} filings`, io);
  const streams = filings.map(({ filingId }) => ({ filingId, streamId: filingStreamId(filingId) }));
  const options = { calendar, ...(context.hasher && { hasher: context.hasher }) };
  // Timelines are dropped as soon as each filing is audited.
  const found = await auditStreams(
    context,
    streams,
    ({ filingId }, recorded): FilingOutcome[] => {
      const { verdict, findings } = auditFilingHistory(filingId, recorded, options);
      return [{ filingId, verdict, findings }];
    },
    bar,
  );
  return found.flat();
}

async function verify(
  eventLog: EventLog,
  description: string,
  args: { selector: Selector; json: boolean },
  deps: AuditCommandDeps,
  io: CliIo,
): Promise<number> {
  const selection =
    args.selector.kind === 'province'
      ? { province: args.selector.province }
      : args.selector.kind === 'since'
        ? { since: args.selector.since }
        : {};
  const context: StreamAuditContext = {
    eventLog,
    read: (work) => reading(description, work),
    concurrency: deps.readConcurrency ?? DEFAULT_READ_CONCURRENCY,
    ...(deps.hasher && { hasher: deps.hasher }),
  };
  const outcomes = await verifyFilings(context, selection, deps.calendar(), io);

  // Registry and compliance streams have no province or submission date of their own: only --all covers them.
  const registry =
    args.selector.kind === 'all'
      ? await verifyRegistry(context, (total) =>
          progressBar(`audit ${total.toLocaleString('en-US')} registry streams`, io),
        )
      : undefined;
  const compliance =
    args.selector.kind === 'all'
      ? await verifyCompliance(context, (total) =>
          progressBar(`audit ${total.toLocaleString('en-US')} compliance streams`, io),
        )
      : undefined;

  const summary: VerifySummary = { filings: outcomes.length, verified: 0, withFindings: 0, findings: [] };
  for (const report of outcomes) {
    if (report.verdict === 'verified') summary.verified += 1;
    else summary.withFindings += 1;
    for (const finding of report.findings) summary.findings.push({ filingId: report.filingId, ...finding });
  }
  if (args.json) {
    const findings = summary.findings.map(({ filingId, seq, rule, message }) => ({
      filingId,
      seq,
      rule,
      message,
    }));
    io.out(
      JSON.stringify(
        { ...summary, findings, ...(registry ? { registry } : {}), ...(compliance ? { compliance } : {}) },
        null,
        2,
      ),
    );
  } else {
    io.out(verifySummaryLine(summary));
    if (registry) io.out(registrySummaryLine(registry));
    if (compliance) io.out(complianceSummaryLine(compliance));
    summary.findings.forEach((finding) => io.out(verifyFindingLine(finding)));
    registry?.findings.forEach((finding) => io.out(registryFindingLine(finding)));
    compliance?.findings.forEach((finding) => io.out(complianceFindingLine(finding)));
  }
  const clean =
    summary.withFindings === 0 &&
    (registry?.withFindings ?? 0) === 0 &&
    (compliance?.withFindings ?? 0) === 0;
  return clean ? AUDIT_EXIT.verified : AUDIT_EXIT.findings;
}

/**
 * `icp audit replay <filingId>`: replays one filing's history from the event log, verifies its hash
 * chain, transitions, actors and times, and prints its timeline, findings and verdict (exit 0 verified,
 * 1 findings, 2 when the filing or the log cannot be read); `replay --subject N|--service N|--stream ID`
 * does the same for a registry stream. `icp audit verify --all|--province P|--since
 * D` does the same for many filings (and, with --all, every registry and compliance stream; `--stream` replays a compliance stream too) with a progress bar and
 * prints a summary. Read-only.
 */
export function createAuditCommand(overrides: Partial<AuditCommandDeps> = {}): CliCommand {
  const deps: AuditCommandDeps = { ...defaultDeps, ...overrides };
  return {
    name: 'audit',
    usage: USAGE,
    summary:
      "replay and verify filings' and registry streams' histories (hash chain, transitions, actors, deadlines)",
    async run(args: readonly string[], io: CliIo): Promise<number> {
      let parsed: AuditArgs | 'help';
      try {
        parsed = parseArgs(args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.err(`icp audit: ${error.message} (usage: ${USAGE})`);
        return AUDIT_EXIT.unusable;
      }
      if (parsed === 'help') {
        io.out(`usage: ${USAGE}`);
        return AUDIT_EXIT.verified;
      }
      let opened: { eventLog: EventLog; description: string };
      try {
        opened = deps.openEventLog();
      } catch (error) {
        io.err(`icp audit: cannot open the event log: ${(error as Error).message}`);
        return AUDIT_EXIT.unusable;
      }
      const { eventLog, description } = opened;
      try {
        switch (parsed.action) {
          case 'replay':
            return await replay(eventLog, description, parsed, deps, io);
          case 'replay-registry':
            return await replayRegistryStream(eventLog, description, parsed, io);
          case 'replay-compliance':
            return await replayComplianceStream(eventLog, description, parsed, io);
          case 'verify':
            return await verify(eventLog, description, parsed, deps, io);
        }
      } catch (error) {
        if (!(error instanceof UnreadableLog)) throw error;
        io.err(`icp audit: ${error.message}`);
        return AUDIT_EXIT.unusable;
      } finally {
        await eventLog.close();
      }
    },
  };
}

export const auditCommand: CliCommand = createAuditCommand();
