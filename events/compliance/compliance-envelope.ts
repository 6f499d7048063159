import { canonicalJson } from '../canonical-json';
import { type ChainHasher, PURE_CHAIN_HASHER } from '../ids';
import type { EventToAppend, Json, RecordedEvent } from '../ports/event-log.port';

/**
 * Compliance events (inventories, sweeps, inspections, accuracy campaigns) are sealed like the
 * registry's: each names its stream, place and recorder, and chains to the previous event's hash, so
 * an auditor replaying the log alone sees any event removed, reordered or rewritten.
 */
export const COMPLIANCE_SCHEMA_VERSION = 1;
export const COMPLIANCE_GENESIS_HASH = '0'.repeat(64);

export const COMPLIANCE_RECORDER_ROLES = [
  'system',
  'bureau',
  'isp',
  'store',
  'device_maker',
  'platform',
  'admin',
] as const;
export type ComplianceRecorderRole = (typeof COMPLIANCE_RECORDER_ROLES)[number];

export interface ComplianceRecorder {
  readonly role: ComplianceRecorderRole;
  /** The token's subject, or `system` / the workflow for what a deadline does. */
  readonly id: string;
}

export interface ComplianceSealContext {
  readonly occurredAt: string;
  readonly recordedBy: ComplianceRecorder;
  /** What caused the event: the request id, the workflow, the inventory report. */
  readonly causationId: string;
}

export interface ComplianceEventMetadata extends ComplianceSealContext {
  readonly streamId: string;
  readonly seq: number;
  readonly schemaVersion: typeof COMPLIANCE_SCHEMA_VERSION;
  readonly prevHash: string;
  readonly hash: string;
}

/** Where a compliance stream ends: the next event goes at revision + 1 and chains to lastHash. */
export interface ComplianceStreamHead {
  readonly revision: number;
  readonly lastHash: string;
}

export const EMPTY_COMPLIANCE_STREAM: ComplianceStreamHead = {
  revision: -1,
  lastHash: COMPLIANCE_GENESIS_HASH,
};

/** Deterministic: a retried append of the same event at the same place is recognised by the log. */
export function complianceEventId(
  streamId: string,
  seq: number,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.eventId(`${streamId}:${seq}`);
}

export function hashComplianceEvent(
  event: { readonly type: string; readonly data: unknown },
  metadata: Omit<ComplianceEventMetadata, 'hash'>,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.sha256Hex(
    metadata.prevHash + canonicalJson({ type: event.type, data: event.data, metadata }),
  );
}

/** The event as appended right after `head`: its id, seq and place in the hash chain. */
export function sealComplianceEvent(
  streamId: string,
  head: ComplianceStreamHead,
  event: { readonly type: string; readonly data: unknown },
  context: ComplianceSealContext,
): { envelope: EventToAppend; head: ComplianceStreamHead } {
  const seq = head.revision + 1;
  const metadata: Omit<ComplianceEventMetadata, 'hash'> = {
    streamId,
    seq,
    occurredAt: context.occurredAt,
    recordedBy: { role: context.recordedBy.role, id: context.recordedBy.id },
    causationId: context.causationId,
    schemaVersion: COMPLIANCE_SCHEMA_VERSION,
    prevHash: head.lastHash,
  };
  const data = event.data as Json;
  const hash = hashComplianceEvent({ type: event.type, data }, metadata);
  return {
    envelope: {
      id: complianceEventId(streamId, seq),
      type: event.type,
      data,
      metadata: { ...metadata, hash } as unknown as Json,
    },
    head: { revision: seq, lastHash: hash },
  };
}

/** The sealed metadata of a compliance event, or undefined when it carries none. */
export function complianceMetadataOf(recorded: RecordedEvent): ComplianceEventMetadata | undefined {
  const metadata = recorded.metadata as { readonly [key: string]: Json } | undefined;
  if (!metadata || metadata.schemaVersion !== COMPLIANCE_SCHEMA_VERSION) return undefined;
  if (typeof metadata.hash !== 'string' || typeof metadata.prevHash !== 'string') return undefined;
  return metadata as unknown as ComplianceEventMetadata;
}

/** The head after the stream's recorded events. */
export function complianceStreamHead(recorded: readonly RecordedEvent[]): ComplianceStreamHead {
  const last = recorded[recorded.length - 1];
  if (!last) return EMPTY_COMPLIANCE_STREAM;
  return { revision: last.revision, lastHash: complianceMetadataOf(last)?.hash ?? COMPLIANCE_GENESIS_HASH };
}

export interface ComplianceChainFinding {
  readonly seq: number;
  readonly rule:
    | 'seq_gap'
    | 'seq_order'
    | 'unsealed'
    | 'prev_hash_mismatch'
    | 'hash_mismatch'
    | 'id_mismatch'
    | 'stream_id_mismatch'
    | 'unknown_recorder';
  readonly message: string;
}

function recorderKnown(recordedBy: unknown): boolean {
  if (typeof recordedBy !== 'object' || recordedBy === null) return false;
  const { role, id } = recordedBy as { role?: unknown; id?: unknown };
  return (
    typeof id === 'string' && (COMPLIANCE_RECORDER_ROLES as readonly unknown[]).includes(role as unknown)
  );
}

/** One event's findings against the chain so far (`expectedPrev`); the caller moves the chain on. */
function eventFindings(
  streamId: string,
  recorded: RecordedEvent,
  index: number,
  expectedPrev: string,
  hasher: ChainHasher,
): ComplianceChainFinding[] {
  const seq = recorded.revision;
  const findings: ComplianceChainFinding[] = [];
  const finding = (rule: ComplianceChainFinding['rule'], message: string) =>
    findings.push({ seq, rule, message });
  if (seq !== index)
    finding(seq > index ? 'seq_gap' : 'seq_order', `event at position ${index} has revision ${seq}`);
  if (recorded.id !== complianceEventId(streamId, seq, hasher))
    finding('id_mismatch', 'event id is not UUIDv5(streamId:seq)');
  const sealed = complianceMetadataOf(recorded);
  if (!sealed) {
    finding('unsealed', 'the event carries no sealed metadata');
    return findings;
  }
  const { hash, ...rest } = sealed;
  if (rest.streamId !== streamId) finding('stream_id_mismatch', `event names stream ${rest.streamId}`);
  if (rest.seq !== seq) finding('seq_order', `metadata seq ${rest.seq} at revision ${seq}`);
  if (!recorderKnown(rest.recordedBy)) finding('unknown_recorder', 'recordedBy names no known role');
  if (rest.prevHash !== expectedPrev)
    finding('prev_hash_mismatch', 'prevHash does not match the previous event’s hash');
  if (hashComplianceEvent(recorded, rest, hasher) !== hash)
    finding('hash_mismatch', 'hash does not match the event’s content');
  return findings;
}

/**
 * Checks a compliance stream as stored: revisions without gaps, deterministic ids, every event sealed,
 * naming its stream and a known recorder, and the hash chain. Pure. `hasher` computes the same
 * digests natively where Node's crypto is available (the auditor).
 */
export function verifyComplianceChain(
  streamId: string,
  recorded: readonly RecordedEvent[],
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): ComplianceChainFinding[] {
  let expectedPrev = COMPLIANCE_GENESIS_HASH;
  return recorded.flatMap((event, index) => {
    const findings = eventFindings(streamId, event, index, expectedPrev, hasher);
    expectedPrev = complianceMetadataOf(event)?.hash ?? expectedPrev;
    return findings;
  });
}
