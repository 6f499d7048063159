import type { FilingStage } from '../../../events/filing/filing-state';
import { epochMsOfInstant, formatEpochMsUtc } from '../../../events/working-days/china-time';
import type {
  AuditFinding,
  AuditReport,
  RecordedActor,
  RegistryAuditReport,
  RegistryTimelineEntry,
  TimelineEntry,
} from '../../../services/audit/audit-report';

/**
 * What `icp audit` prints. Only what the report carries: event types, stages, actors and times, never
 * the form's contents (personal data stays in the log).
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `2026-09-14 09:03`, China Standard Time (UTC+8 all year); a time that is no instant is shown as stored. */
export function chinaMinute(instant: string): string {
  try {
    return formatEpochMsUtc(epochMsOfInstant(instant) + CHINA_OFFSET_MS)
      .slice(0, 16)
      .replace('T', ' ');
  } catch {
    return instant;
  }
}

/** `role:id`, and the scope the actor recorded: `[platform]` or `[province]`. */
export function actorCell(actor: RecordedActor): string {
  const scope = actor.platformId ?? actor.province;
  return `${actor.role}:${actor.id}${scope === undefined ? '' : ` [${scope}]`}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function findingLine(finding: AuditFinding): string {
  return `seq ${finding.seq}  ${finding.rule}  ${oneLine(finding.message)}`;
}

const COLUMNS = ['seq', 'time (+08:00)', 'stage', 'event', 'actor', 'wd', 'chain'] as const;
/** Right-aligned columns: the numbers. */
const RIGHT = new Set<number>([0, 5]);
const REGISTRY_COLUMNS = ['seq', 'time (+08:00)', 'event', 'recorded by', 'chain'] as const;

/**
 * One row per event, in the stage the event happened in (the stage before it; a submission opens
 * `submission`): `wd` counts that stage's working days, so the two read together.
 */
function timelineRows(timeline: readonly TimelineEntry[]): string[][] {
  let stage: FilingStage = 'submission';
  return timeline.map((entry) => {
    const row = [
      String(entry.seq),
      chinaMinute(entry.occurredAt),
      stage,
      entry.type,
      actorCell(entry.actor),
      String(entry.workingDaysInStage),
      `${entry.chainIntact ? 'ok' : 'BROKEN'}${entry.applied ? '' : ' (not applied)'}`,
    ];
    stage = entry.stage;
    return row;
  });
}

function table(rows: readonly string[][], columns: readonly string[] = COLUMNS): string[] {
  const widths = columns.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return RIGHT.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The rules found, each once, in the order first found. */
function rulesOf(findings: readonly AuditFinding[]): string {
  return [...new Set(findings.map((finding) => finding.rule))].join(', ');
}

export function verdictLine(report: AuditReport): string {
  return report.verdict === 'verified'
    ? `verified: ${report.events} events, status ${report.status ?? 'unknown'}`
    : `findings: ${report.findings.length} (${rulesOf(report.findings)})`;
}

/**
 * A replay: a heading, the timeline (times in China Standard Time; the stage the event happened in and
 * `wd`, its working days in that stage; `chain`, whether the event's own link in the hash chain holds),
 * each finding, the verdict. Events the replay could not fold (see the findings) have no row.
 */
export function replayLines(report: AuditReport): string[] {
  const scope = [
    report.platformId === undefined ? undefined : `platform ${report.platformId}`,
    report.province === undefined ? undefined : `province ${report.province}`,
  ].filter((part) => part !== undefined);
  const lines = [
    `filing ${report.filingId}: ${report.events} events${scope.length > 0 ? `, ${scope.join(', ')}` : ''}; times in China Standard Time (UTC+08:00)`,
    ...table([[...COLUMNS], ...timelineRows(report.timeline)]),
  ];
  if (report.findings.length > 0) lines.push('', ...report.findings.map(findingLine));
  lines.push(verdictLine(report));
  return lines;
}

export function verifySummaryLine(summary: {
  filings: number;
  verified: number;
  withFindings: number;
}): string {
  return `verified ${summary.verified.toLocaleString('en-US')} of ${summary.filings.toLocaleString('en-US')} filings; ${summary.withFindings.toLocaleString('en-US')} with findings`;
}

export function verifyFindingLine(finding: { filingId: string } & AuditFinding): string {
  return `${finding.filingId}  ${findingLine(finding)}`;
}

function registryTimelineRows(timeline: readonly RegistryTimelineEntry[]): string[][] {
  return timeline.map((entry) => [
    String(entry.seq),
    entry.occurredAt === undefined ? '-' : chinaMinute(entry.occurredAt),
    entry.type,
    entry.recordedBy ? `${entry.recordedBy.role}:${entry.recordedBy.id}` : '-',
    `${entry.sealed ? (entry.chainIntact ? 'ok' : 'BROKEN') : 'unsealed'}${entry.applied ? '' : ' (not applied)'}`,
  ]);
}

export function registryVerdictLine(report: RegistryAuditReport): string {
  if (report.verdict === 'findings') {
    return `findings: ${report.findings.length} (${rulesOf(report.findings)})`;
  }
  const unsealed = report.unsealed.length;
  return `verified: ${report.events} events${unsealed === 0 ? '' : `; ${unsealed} unsealed, written before registry events were sealed (seq ${report.unsealed.join(', ')})`}`;
}

/**
 * A registry replay: a heading, one row per event (`chain`: its link in the hash chain, or `unsealed`
 * for an event written before sealing), each finding, the verdict.
 */
export function registryReplayLines(report: RegistryAuditReport): string[] {
  const numbers = [
    report.subjectNumber === undefined ? undefined : `subject ${report.subjectNumber}`,
    report.serviceNumber === undefined ? undefined : `service ${report.serviceNumber}`,
  ].filter((part) => part !== undefined);
  const lines = [
    `${report.kind} stream ${report.streamId}: ${report.events} events${numbers.length > 0 ? `, ${numbers.join(', ')}` : ''}; times in China Standard Time (UTC+08:00)`,
    ...table([[...REGISTRY_COLUMNS], ...registryTimelineRows(report.timeline)], REGISTRY_COLUMNS),
  ];
  if (report.findings.length > 0) lines.push('', ...report.findings.map(findingLine));
  lines.push(registryVerdictLine(report));
  return lines;
}
