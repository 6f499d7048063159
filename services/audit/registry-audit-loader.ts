import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import {
  REGISTRY_STREAM_PREFIX,
  serviceStreamId,
  SUBJECT_STREAM_PREFIX,
} from '../../events/registry/registry-streams';
import { type RegistryStreamKind, registryStreamKindOf } from '../../events/registry/registry-transitions';
import { LIST_BATCH_SIZE } from './audit-loader';
import type { RegistryAuditReport } from './audit-report';
import { auditRegistryStream } from './registry-audit';

/** Every event of `$all` in streams starting with `streamPrefix`, page by page. */
export async function scanAll(
  eventLog: EventLog,
  streamPrefix: string,
  visit: (event: RecordedEvent) => void,
  batchSize = LIST_BATCH_SIZE,
): Promise<void> {
  let fromPosition = 0;
  for (;;) {
    const batch = await eventLog.readAll({ fromPosition, maxCount: batchSize, streamPrefix });
    batch.forEach(visit);
    const last = batch[batch.length - 1];
    if (!last || batch.length < batchSize) return;
    fromPosition = last.position;
  }
}

/**
 * The subject streams whose SubjectRegistered states this subject number. A subject stream is named by
 * the digest of the operator's certificate, not by its number, so the province's subject streams are
 * scanned. Normally one; more is a finding for the auditor to show.
 */
export async function findSubjectStreams(
  eventLog: EventLog,
  subjectNumber: string,
  provinceCode: string,
): Promise<string[]> {
  const streams: string[] = [];
  await scanAll(eventLog, `${SUBJECT_STREAM_PREFIX}${provinceCode}-`, (event) => {
    const data = event.data as { subjectNumber?: unknown } | null;
    if (event.type === 'SubjectRegistered' && data?.subjectNumber === subjectNumber) {
      if (!streams.includes(event.streamId)) streams.push(event.streamId);
    }
  });
  return streams;
}

export interface RegistryStreamToAudit {
  streamId: string;
  kind: RegistryStreamKind;
}

/** Every registry stream in the log, in the order of its first event. */
export async function listRegistryStreams(
  eventLog: EventLog,
  options: { batchSize?: number } = {},
): Promise<RegistryStreamToAudit[]> {
  const streams = new Map<string, RegistryStreamKind>();
  await scanAll(
    eventLog,
    REGISTRY_STREAM_PREFIX,
    (event) => {
      const kind = registryStreamKindOf(event.streamId);
      if (kind !== undefined && !streams.has(event.streamId)) streams.set(event.streamId, kind);
    },
    options.batchSize,
  );
  return [...streams].map(([streamId, kind]) => ({ streamId, kind }));
}

/** The stream replayed, with the report; undefined when the log holds no such stream. */
export async function auditRegistryStreamById(
  eventLog: EventLog,
  streamId: string,
): Promise<RegistryAuditReport | undefined> {
  const kind = registryStreamKindOf(streamId);
  if (kind === undefined) return undefined;
  const recorded = await eventLog.readStream(streamId);
  return recorded.length === 0 ? undefined : auditRegistryStream(streamId, kind, recorded);
}

/**
 * The subject's stream replayed; undefined when no subject stream of the province states the number.
 * When more than one does, the report is the first's, with a finding naming the others.
 */
export async function auditSubject(
  eventLog: EventLog,
  subject: { subjectNumber: string; provinceCode: string },
): Promise<RegistryAuditReport | undefined> {
  const [streamId, ...others] = await findSubjectStreams(
    eventLog,
    subject.subjectNumber,
    subject.provinceCode,
  );
  if (streamId === undefined) return undefined;
  const report = await auditRegistryStreamById(eventLog, streamId);
  if (!report || others.length === 0) return report;
  const findings = [
    ...others.map((other) => ({
      seq: -1,
      rule: 'duplicate_number' as const,
      message: `subject number ${subject.subjectNumber} is also registered in stream ${other}`,
    })),
    ...report.findings,
  ];
  return { ...report, verdict: 'findings', findings };
}

export async function auditService(
  eventLog: EventLog,
  serviceNumber: string,
): Promise<RegistryAuditReport | undefined> {
  let streamId: string;
  try {
    streamId = serviceStreamId(serviceNumber);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return auditRegistryStreamById(eventLog, streamId);
}
