import { canonicalJson } from '../canonical-json';
import { type ChainHasher, PURE_CHAIN_HASHER } from '../ids';
import type { Actor } from './actor';
import {
  FILING_SCHEMA_VERSION,
  type FilingEnvelope,
  type FilingEvent,
  type FilingEventMetadata,
  type RecordedActorScope,
  type StoredFilingEnvelope,
} from './filing-events';
import { dataAsWrittenAt } from './upcast';

/** prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a filing's stream ends: the next event's seq is revision + 1 and its prevHash is lastHash. */
export interface StreamHead {
  readonly revision: number;
  readonly lastHash: string;
}

export const EMPTY_STREAM: StreamHead = { revision: -1, lastHash: GENESIS_HASH };

export interface TransitionContext {
  readonly filingId: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  /** The action (update id) or event that caused the transition. */
  readonly causationId: string;
}

/** The actor as a writer at `schemaVersion` recorded it: role and id, and from v2 the actor's scope. */
function recordedActor(actor: Actor, schemaVersion: number): RecordedActorScope {
  const recorded: { -readonly [K in keyof RecordedActorScope]: RecordedActorScope[K] } = {
    role: actor.role,
    id: actor.id,
  };
  if (schemaVersion < 2) return recorded;
  if (actor.role === 'platform' && actor.platformId !== undefined) recorded.platformId = actor.platformId;
  if (actor.role === 'bureau' && actor.province !== undefined) recorded.province = actor.province;
  return recorded;
}

export function filingEventId(
  filingId: string,
  seq: number,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.eventId(`${filingId}:${seq}`);
}

/**
 * sha256(prevHash + canonical(type, data, metadata without hash)), over the event as stored: data in
 * the shape of `metadata.schemaVersion`, never an upcast copy, so histories of every version verify.
 */
export function hashFilingEvent(
  event: { readonly type: string; readonly data: unknown },
  metadata: Omit<FilingEventMetadata, 'hash'>,
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): string {
  return hasher.sha256Hex(
    metadata.prevHash + canonicalJson({ type: event.type, data: event.data, metadata }),
  );
}

/** Gives events their seq, deterministic id and place in the hash chain after `head`, at FILING_SCHEMA_VERSION. */
export function sealFilingEvents(
  head: StreamHead,
  events: readonly FilingEvent[],
  context: TransitionContext,
): { envelopes: FilingEnvelope[]; head: StreamHead } {
  const sealed = sealFilingEventsAt(FILING_SCHEMA_VERSION, head, events, context);
  return { envelopes: sealed.envelopes as FilingEnvelope[], head: sealed.head };
}

/**
 * sealFilingEvents as a writer at `schemaVersion` sealed: its schemaVersion in the metadata and its
 * data shape (`dataAsWrittenAt`), which the hash covers. Older than FILING_SCHEMA_VERSION only for a
 * workflow replaying a history recorded at that version, whose chain must come out as stored.
 */
export function sealFilingEventsAt(
  schemaVersion: number,
  head: StreamHead,
  events: readonly FilingEvent[],
  context: TransitionContext,
): { envelopes: StoredFilingEnvelope[]; head: StreamHead } {
  let { revision, lastHash } = head;
  const envelopes = events.map((event): StoredFilingEnvelope => {
    revision += 1;
    const metadata: Omit<FilingEventMetadata, 'hash'> = {
      filingId: context.filingId,
      seq: revision,
      occurredAt: context.occurredAt,
      actor: recordedActor(context.actor, schemaVersion),
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion,
      prevHash: lastHash,
    };
    const stored = { type: event.type, data: dataAsWrittenAt(event, schemaVersion) };
    const hash = hashFilingEvent(stored, metadata);
    lastHash = hash;
    return {
      ...stored,
      id: filingEventId(context.filingId, revision),
      metadata: { ...metadata, hash },
    };
  });
  return { envelopes, head: { revision, lastHash } };
}

export interface ChainFinding {
  seq: number;
  rule:
    'seq_gap' | 'seq_order' | 'prev_hash_mismatch' | 'hash_mismatch' | 'id_mismatch' | 'filing_id_mismatch';
  message: string;
}

/**
 * Checks seq continuity, ids and the hash chain of the envelopes as stored (each at its own
 * schemaVersion; never upcast them first); returns every finding, empty when intact. `hasher`
 * computes the same digests natively where Node's crypto is available (the auditor).
 */
export function verifyFilingChain(
  filingId: string,
  envelopes: readonly StoredFilingEnvelope[],
  hasher: ChainHasher = PURE_CHAIN_HASHER,
): ChainFinding[] {
  const findings: ChainFinding[] = [];
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 0;
  envelopes.forEach((envelope, index) => {
    const { hash, ...rest } = envelope.metadata;
    const seq = rest.seq;
    if (seq > expectedSeq) {
      const missing = seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seqs ${expectedSeq}–${seq - 1}`;
      findings.push({ seq, rule: 'seq_gap', message: `${missing} missing before this event` });
    } else if (seq < expectedSeq) {
      findings.push({
        seq,
        rule: 'seq_order',
        message: `event at position ${index} has seq ${seq}, out of order`,
      });
    }
    expectedSeq = Math.max(expectedSeq, seq + 1);
    if (rest.filingId !== filingId) {
      findings.push({ seq, rule: 'filing_id_mismatch', message: `event names filing ${rest.filingId}` });
    }
    if (envelope.id !== filingEventId(filingId, seq, hasher)) {
      findings.push({ seq, rule: 'id_mismatch', message: 'event id is not UUIDv5(filingId:seq)' });
    }
    if (rest.prevHash !== expectedPrev) {
      findings.push({
        seq,
        rule: 'prev_hash_mismatch',
        message: 'prevHash does not match the previous event’s hash',
      });
    }
    if (hashFilingEvent(envelope, rest, hasher) !== hash) {
      findings.push({ seq, rule: 'hash_mismatch', message: 'hash does not match the event’s content' });
    }
    expectedPrev = hash;
  });
  return findings;
}
