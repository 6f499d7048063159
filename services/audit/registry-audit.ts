import type { ChainHasher } from '../../events/ids';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import {
  type RegistryEventMetadata,
  sealedMetadataOf,
  verifyRegistryChain,
} from '../../events/registry/registry-envelope';
import {
  allowedRegistryRecorders,
  type RegistryStreamKind,
  RegistryStreamReplay,
} from '../../events/registry/registry-transitions';
import { foldService, type ServiceVersion } from '../../events/registry/service';
import type { AuditFinding, RegistryAuditReport, RegistryTimelineEntry } from './audit-report';
import { NATIVE_CHAIN_HASHER } from './native-hasher';
import { readRegistryEvent } from './registry-event-reader';

/** The versions of a service stream with no findings, as the registry's own fold reads them. */
function versionsOf(recorded: readonly RecordedEvent[]): ServiceVersion[] | undefined {
  const state = foldService(recorded);
  return state.status === 'unregistered' ? undefined : [...state.versions];
}

/** The recorder's role when the sealed metadata names one the envelope knows; undefined otherwise. */
function recorderOf(metadata: RegistryEventMetadata): RegistryEventMetadata['recordedBy'] | undefined {
  const recordedBy = metadata.recordedBy as Partial<RegistryEventMetadata['recordedBy']> | undefined;
  if (typeof recordedBy !== 'object' || recordedBy === null) return undefined;
  const { role, id } = recordedBy;
  if ((role !== 'system' && role !== 'admin' && role !== 'isp') || typeof id !== 'string') return undefined;
  return { role, id };
}

/**
 * Replays one registry stream from the log alone: its hash chain, seq continuity and ids
 * (`verifyRegistryChain`), every event's data against its declared shape, its place in the stream and
 * the numbering rules (`REGISTRY_TRANSITIONS`), and who recorded it. Unsealed version-1 events opening
 * the stream are listed in `unsealed`, not as findings. Pure.
 */
export function auditRegistryStream(
  streamId: string,
  kind: RegistryStreamKind,
  recorded: readonly RecordedEvent[],
  hasher: ChainHasher = NATIVE_CHAIN_HASHER,
): RegistryAuditReport {
  const chain = verifyRegistryChain(streamId, recorded, hasher);
  const findings: AuditFinding[] = chain.map(({ seq, rule, message }) => ({ seq, rule, message }));
  const brokenLinks = new Set(chain.map((finding) => finding.seq));
  const replay = new RegistryStreamReplay(kind, streamId);
  const timeline: RegistryTimelineEntry[] = [];
  const unsealed: number[] = [];
  let sealedSeen = false;

  for (const event of recorded) {
    const seq = event.revision;
    const metadata = sealedMetadataOf(event);
    if (metadata) sealedSeen = true;
    else if (!sealedSeen) unsealed.push(seq);
    const recordedBy = metadata && recorderOf(metadata);
    const entry: RegistryTimelineEntry = {
      seq,
      type: event.type,
      ...(metadata ? { occurredAt: metadata.occurredAt } : {}),
      ...(recordedBy ? { recordedBy } : {}),
      sealed: metadata !== undefined,
      chainIntact: !brokenLinks.has(seq),
      applied: false,
    };
    timeline.push(entry);

    const read = readRegistryEvent(event);
    if ('problem' in read) {
      findings.push({ seq, rule: 'unreadable_event', message: read.problem });
      continue;
    }
    const { applied, breaches } = replay.apply(read.event);
    entry.applied = applied;
    findings.push(...breaches.map((breach) => ({ seq, ...breach })));
    if (!metadata) continue;
    const allowed = allowedRegistryRecorders(kind, read.event);
    if (allowed.length > 0 && (!recordedBy || !allowed.includes(recordedBy.role))) {
      findings.push({
        seq,
        rule: 'recorder_role',
        message: `${event.type} recorded by ${recordedBy ? `role ${recordedBy.role}` : 'no known recorder'}; only ${allowed.join(' or ')} may`,
      });
    }
  }
  findings.sort((a, b) => a.seq - b.seq);

  const { subjectNumber, serviceNumber } = replay.state;
  const versions = kind === 'service' && findings.length === 0 ? versionsOf(recorded) : undefined;
  return {
    streamId,
    kind,
    verdict: findings.length === 0 && recorded.length > 0 ? 'verified' : 'findings',
    events: recorded.length,
    unsealed,
    ...(subjectNumber === undefined ? {} : { subjectNumber }),
    ...(serviceNumber === undefined ? {} : { serviceNumber }),
    ...(versions && { versions }),
    findings,
    timeline,
  };
}
