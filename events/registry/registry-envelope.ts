import { canonicalJson } from '../canonical-json';
import { type ChainHasher, PURE_CHAIN_HASHER } from '../ids';
import type { EventToAppend, Json, RecordedEvent } from '../ports/event-log.port';
import type { RegistryEvent } from './registry-events';

/** Registry events are sealed (hash-chained) from this version on; version 1 events are not. */
export const SEALED_REGISTRY_SCHEMA_VERSION = 2;

const GENESIS_HASH = '0'.repeat(64);

/**
 * Who recorded a registry event: the system (allocation at issuance, applied filings), an admin (an
 * import) or an ISP (withdrawing its access; `id` is the ISP's name).
 */
export interface RegistryRecorder {
  readonly role: 'system' | 'admin' | 'isp';
  readonly id: string;
}

export interface RegistryEventMetadata {
  readonly streamId: string;
  readonly seq: number;
  readonly occurredAt: string;
  readonly recordedBy: RegistryRecorder;
  /** The filing whose issuance caused the event, or the import line that brought it. */
  readonly causationId: string;
  readonly schemaVersion: typeof SEALED_REGISTRY_SCHEMA_VERSION;
  readonly prevHash: string;
  readonly hash: string;
}

/** Where a registry stream ends: the next event goes at revision + 1 and chains to lastHash. */
export interface RegistryStreamHead {
  readonly revision: number;
  /** The last sealed event's hash; the genesis hash when none is sealed yet. */
  readonly lastHash: string;
}

export const EMPTY_REGISTRY_STREAM: RegistryStreamHead = { revision: -1, lastHash: GENESIS_HASH };

export interface RegistrySealContext {
  readonly occurredAt: string;
  readonly recordedBy: RegistryRecorder;
  readonly causationId: string;
}

/** Deterministic: a retried append of the same event at the same place is recognised by the log. */
export function registryEventId(
  streamId: string,
  revision: number,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.eventId(`${streamId}:${revision}`);
}

export function hashRegistryEvent(
  event: { readonly type: string; readonly data: unknown },
  metadata: Omit<RegistryEventMetadata, 'hash'>,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.sha256Hex(
    metadata.prevHash + canonicalJson({ type: event.type, data: event.data, metadata }),
  );
}

/** The event as appended right after `head`: its id, seq and place in the hash chain. */
export function sealRegistryEvent(
  streamId: string,
  head: RegistryStreamHead,
  event: RegistryEvent,
  context: RegistrySealContext,
): { envelope: EventToAppend; head: RegistryStreamHead } {
  const seq = head.revision + 1;
  const metadata: Omit<RegistryEventMetadata, 'hash'> = {
    streamId,
    seq,
    occurredAt: context.occurredAt,
    recordedBy: { role: context.recordedBy.role, id: context.recordedBy.id },
    causationId: context.causationId,
    schemaVersion: SEALED_REGISTRY_SCHEMA_VERSION,
    prevHash: head.lastHash,
  };
  const data = event.data as unknown as Json;
  const hash = hashRegistryEvent({ type: event.type, data }, metadata);
  const envelope: EventToAppend = {
    id: registryEventId(streamId, seq),
    type: event.type,
    data,
    metadata: { ...metadata, hash } as unknown as Json,
  };
  return { envelope, head: { revision: seq, lastHash: hash } };
}

/** The head after the stream's recorded events (unsealed version-1 events keep the genesis hash). */
export function registryStreamHead(events: readonly RecordedEvent[]): RegistryStreamHead {
  let head = EMPTY_REGISTRY_STREAM;
  for (const recorded of events) {
    const sealed = sealedMetadataOf(recorded);
    head = { revision: recorded.revision, lastHash: sealed ? sealed.hash : head.lastHash };
  }
  return head;
}

export interface RegistryChainFinding {
  readonly seq: number;
  readonly rule:
    | 'seq_gap'
    | 'seq_order'
    | 'prev_hash_mismatch'
    | 'hash_mismatch'
    | 'id_mismatch'
    | 'stream_id_mismatch'
    | 'unsealed_after_sealed';
  readonly message: string;
}

/**
 * Checks a registry stream as stored: revisions without gaps, deterministic ids, the stream named in
 * each sealed event, the hash chain. Unsealed (version 1) events may only open a stream. `hasher`
 * computes the same digests natively where Node's crypto is available (the auditor).
 */
export function verifyRegistryChain(
  streamId: string,
  events: readonly RecordedEvent[],
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): RegistryChainFinding[] {
  const findings: RegistryChainFinding[] = [];
  let expectedPrev = GENESIS_HASH;
  let sealedSeen = false;
  events.forEach((recorded, index) => {
    const seq = recorded.revision;
    const finding = (rule: RegistryChainFinding['rule'], message: string) =>
      findings.push({ seq, rule, message });
    if (seq !== index)
      finding(seq > index ? 'seq_gap' : 'seq_order', `event at position ${index} has revision ${seq}`);
    if (recorded.id !== registryEventId(streamId, seq, hasher)) {
      finding('id_mismatch', 'event id is not UUIDv5(streamId:revision)');
    }
    const sealed = sealedMetadataOf(recorded);
    if (!sealed) {
      if (sealedSeen) finding('unsealed_after_sealed', 'an unsealed event follows a sealed one');
      return;
    }
    sealedSeen = true;
    const { hash, ...rest } = sealed;
    if (rest.streamId !== streamId) finding('stream_id_mismatch', `event names stream ${rest.streamId}`);
    if (rest.seq !== seq) finding('seq_order', `metadata seq ${rest.seq} at revision ${seq}`);
    if (rest.prevHash !== expectedPrev) {
      finding('prev_hash_mismatch', 'prevHash does not match the previous event’s hash');
    }
    if (hashRegistryEvent(recorded, rest, hasher) !== hash) {
      finding('hash_mismatch', 'hash does not match the event’s content');
    }
    expectedPrev = hash;
  });
  return findings;
}

/** The sealed metadata of an event, or undefined for an unsealed (version 1) one. */
export function sealedMetadataOf(recorded: RecordedEvent): RegistryEventMetadata | undefined {
  const metadata = recorded.metadata as { readonly [key: string]: Json } | undefined;
  if (!metadata || metadata.schemaVersion !== SEALED_REGISTRY_SCHEMA_VERSION) return undefined;
  return metadata as unknown as RegistryEventMetadata;
}
