import type { ChainHasher } from '../../events/ids';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import {
  type ComplianceAuditFinding,
  auditComplianceEvents,
} from '../../events/compliance/compliance-audit-rules';
import { type ComplianceRecorder, complianceMetadataOf } from '../../events/compliance/compliance-envelope';
import {
  COMPLIANCE_STREAM_PREFIX,
  type ComplianceStreamKind,
  complianceStreamKindOf,
} from '../../events/compliance/compliance-streams';
import { NATIVE_CHAIN_HASHER } from './native-hasher';
import { scanAll } from './registry-audit-loader';

export interface ComplianceTimelineEntry {
  seq: number;
  type: string;
  occurredAt?: string;
  recordedBy?: ComplianceRecorder;
}

/** A compliance stream (inventory, sweep, inspection, campaign or one service's campaign check) replayed. */
export interface ComplianceAuditReport {
  streamId: string;
  kind: ComplianceStreamKind;
  verdict: 'verified' | 'findings';
  events: number;
  findings: ComplianceAuditFinding[];
  timeline: ComplianceTimelineEntry[];
}

export function auditComplianceStream(
  streamId: string,
  kind: ComplianceStreamKind,
  recorded: readonly RecordedEvent[],
  hasher: ChainHasher = NATIVE_CHAIN_HASHER,
): ComplianceAuditReport {
  const findings = auditComplianceEvents(streamId, kind, recorded, hasher);
  const timeline = recorded.map((event): ComplianceTimelineEntry => {
    const metadata = complianceMetadataOf(event);
    return {
      seq: event.revision,
      type: event.type,
      ...(metadata && { occurredAt: metadata.occurredAt, recordedBy: metadata.recordedBy }),
    };
  });
  return {
    streamId,
    kind,
    verdict: findings.length === 0 ? 'verified' : 'findings',
    events: recorded.length,
    findings,
    timeline,
  };
}

export interface ComplianceStreamToAudit {
  streamId: string;
  kind: ComplianceStreamKind;
}

/** Every compliance stream in the log (optionally of one kind), in the order of its first event. */
export async function listComplianceStreams(
  eventLog: EventLog,
  kind?: ComplianceStreamKind,
): Promise<ComplianceStreamToAudit[]> {
  const streams = new Map<string, ComplianceStreamKind>();
  await scanAll(eventLog, COMPLIANCE_STREAM_PREFIX, (event) => {
    const found = complianceStreamKindOf(event.streamId);
    if (found !== undefined && (kind === undefined || found === kind)) streams.set(event.streamId, found);
  });
  return [...streams].map(([streamId, found]) => ({ streamId, kind: found }));
}

/** The stream replayed; undefined when the id names no compliance stream or the log holds none. */
export async function auditComplianceStreamById(
  eventLog: EventLog,
  streamId: string,
): Promise<ComplianceAuditReport | undefined> {
  const kind = complianceStreamKindOf(streamId);
  if (kind === undefined) return undefined;
  const recorded = await eventLog.readStream(streamId);
  return recorded.length === 0 ? undefined : auditComplianceStream(streamId, kind, recorded);
}
