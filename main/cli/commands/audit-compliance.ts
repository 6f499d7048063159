import type { EventLog } from '../../../events/ports/event-log.port';
import type { ComplianceAuditFinding } from '../../../events/compliance/compliance-audit-rules';
import {
  COMPLIANCE_STREAM_KINDS,
  type ComplianceStreamKind,
} from '../../../events/compliance/compliance-streams';
import {
  type ComplianceAuditReport,
  auditComplianceStream,
  auditComplianceStreamById,
  listComplianceStreams,
} from '../../../services/audit/compliance-audit';
import type { CliIo } from '../command';
import type { ProgressBar } from '../progress-bar';
import { auditStreams, type StreamAuditContext } from './audit-streams';

export interface ComplianceVerifySummary {
  streams: number;
  verified: number;
  withFindings: number;
  byKind: Record<ComplianceStreamKind, number>;
  findings: Array<{ streamId: string } & ComplianceAuditFinding>;
}

/** Every compliance stream of the log audited (inventories, sweeps, inspections, campaigns). */
export async function verifyCompliance(
  context: StreamAuditContext,
  bar: (total: number) => ProgressBar,
): Promise<ComplianceVerifySummary> {
  const streams = await context.read(() => listComplianceStreams(context.eventLog));
  const byKind = Object.fromEntries(COMPLIANCE_STREAM_KINDS.map((kind) => [kind, 0])) as Record<
    ComplianceStreamKind,
    number
  >;
  const summary: ComplianceVerifySummary = {
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
    ({ streamId, kind }, recorded) => {
      byKind[kind] += 1;
      return auditComplianceStream(streamId, kind, recorded, context.hasher).findings.map((finding) => ({
        streamId,
        ...finding,
      }));
    },
    bar(streams.length),
  );
  for (const findings of found) {
    if (findings.length === 0) summary.verified += 1;
    else summary.withFindings += 1;
    summary.findings.push(...findings);
  }
  return summary;
}

const KIND_NAMES: Record<ComplianceStreamKind, string> = {
  inventory: 'inventories',
  sweep: 'sweeps',
  inspection: 'inspections',
  campaign: 'campaigns',
  campaign_item: 'campaign checks',
};

export function complianceSummaryLine(summary: ComplianceVerifySummary): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const kinds = COMPLIANCE_STREAM_KINDS.map((kind) => `${KIND_NAMES[kind]} ${count(summary.byKind[kind])}`);
  return `verified ${count(summary.verified)} of ${count(summary.streams)} compliance streams (${kinds.join(', ')}); ${count(summary.withFindings)} with findings`;
}

export function complianceFindingLine(finding: { streamId: string } & ComplianceAuditFinding): string {
  return `${finding.streamId}  seq ${finding.seq}  ${finding.rule}  ${finding.message}`;
}

/** One compliance stream replayed and printed; says so when the log holds no such stream. */
export async function replayCompliance(
  eventLog: EventLog,
  streamId: string,
  json: boolean,
  io: CliIo,
): Promise<ComplianceAuditReport | { missing: string }> {
  const report = await auditComplianceStreamById(eventLog, streamId);
  if (!report) return { missing: `no compliance stream ${streamId} in the event log` };
  if (json) {
    io.out(JSON.stringify(report, null, 2));
    return report;
  }
  io.out(`${report.kind} stream ${report.streamId}: ${report.events} events, ${report.verdict}`);
  for (const entry of report.timeline) {
    const by = entry.recordedBy ? `  by ${entry.recordedBy.role} ${entry.recordedBy.id}` : '';
    io.out(`  ${entry.seq}  ${entry.occurredAt ?? '-'}  ${entry.type}${by}`);
  }
  report.findings.forEach((finding) => io.out(complianceFindingLine({ streamId, ...finding })));
  return report;
}
