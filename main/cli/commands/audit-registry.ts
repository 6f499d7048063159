import type { EventLog } from '../../../events/ports/event-log.port';
import {
  REGISTRY_STREAM_KINDS,
  type RegistryStreamKind,
} from '../../../events/registry/registry-transitions';
import type { AuditFinding, RegistryAuditReport } from '../../../services/audit/audit-report';
import { auditRegistryStream } from '../../../services/audit/registry-audit';
import {
  auditRegistryStreamById,
  auditService,
  auditSubject,
  listRegistryStreams,
  type RegistryStreamToAudit,
} from '../../../services/audit/registry-audit-loader';
import type { SubjectNumberRequest } from '../../../services/http/registration-number-params';
import type { CliIo } from '../command';
import type { ProgressBar } from '../progress-bar';
import { findingLine, registryReplayLines } from './audit-format';
import { auditStreams, type StreamAuditContext } from './audit-streams';

/** What `icp audit replay --subject|--service|--stream` names. */
export type RegistryTarget =
  | ({ kind: 'subject' } & SubjectNumberRequest)
  | { kind: 'service'; serviceNumber: string }
  | { kind: 'stream'; streamId: string };

function targetName(target: RegistryTarget): string {
  switch (target.kind) {
    case 'subject':
      return `subject ${target.subjectNumber} in province ${target.provinceCode}`;
    case 'service':
      return `service ${target.serviceNumber}`;
    case 'stream':
      return `registry stream ${target.streamId}`;
  }
}

async function reportOf(
  eventLog: EventLog,
  target: RegistryTarget,
): Promise<RegistryAuditReport | undefined> {
  switch (target.kind) {
    case 'subject':
      return auditSubject(eventLog, target);
    case 'service':
      return auditService(eventLog, target.serviceNumber);
    case 'stream':
      return auditRegistryStreamById(eventLog, target.streamId);
  }
}

/** Replays one registry stream and prints it; says what is missing when the log holds no such stream. */
export async function replayRegistry(
  eventLog: EventLog,
  target: RegistryTarget,
  json: boolean,
  io: CliIo,
): Promise<RegistryAuditReport | { missing: string }> {
  const report = await reportOf(eventLog, target);
  if (!report) return { missing: `no ${targetName(target)} in the event log` };
  if (json) io.out(JSON.stringify(report, null, 2));
  else registryReplayLines(report).forEach((line) => io.out(line));
  return report;
}

export interface RegistryVerifySummary {
  streams: number;
  verified: number;
  withFindings: number;
  /** Streams of each kind audited. */
  byKind: Record<RegistryStreamKind, number>;
  findings: Array<{ streamId: string } & AuditFinding>;
}

/** Every registry stream of the log audited; only the summary and the findings are kept. */
export async function verifyRegistry(
  context: StreamAuditContext,
  bar: (total: number) => ProgressBar,
): Promise<RegistryVerifySummary> {
  const streams = await context.read(() => listRegistryStreams(context.eventLog));
  const byKind = Object.fromEntries(REGISTRY_STREAM_KINDS.map((kind) => [kind, 0])) as Record<
    RegistryStreamKind,
    number
  >;
  const summary: RegistryVerifySummary = {
    streams: streams.length,
    verified: 0,
    withFindings: 0,
    byKind,
    findings: [],
  };
  if (streams.length === 0) return summary;
  const found = await auditStreams(
    context,
    streams,
    ({ streamId, kind }: RegistryStreamToAudit, recorded) => {
      byKind[kind] += 1;
      return auditRegistryStream(streamId, kind, recorded, context.hasher).findings;
    },
    bar(streams.length),
  );
  const outcomes = streams.map(({ streamId }, index) => ({ streamId, findings: found[index] ?? [] }));
  for (const { streamId, findings } of outcomes) {
    if (findings.length === 0) summary.verified += 1;
    else summary.withFindings += 1;
    summary.findings.push(...findings.map((finding) => ({ streamId, ...finding })));
  }
  return summary;
}

const KIND_NAMES: Record<RegistryStreamKind, string> = {
  subject_sequence: 'subject counters',
  subject: 'subjects',
  service: 'services',
  identifier_claim: 'identifier claims',
};

export function registrySummaryLine(summary: RegistryVerifySummary): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const kinds = REGISTRY_STREAM_KINDS.map((kind) => `${KIND_NAMES[kind]} ${count(summary.byKind[kind])}`);
  return `verified ${count(summary.verified)} of ${count(summary.streams)} registry streams (${kinds.join(', ')}); ${count(summary.withFindings)} with findings`;
}

export function registryFindingLine(finding: { streamId: string } & AuditFinding): string {
  return `${finding.streamId}  ${findingLine(finding)}`;
}
