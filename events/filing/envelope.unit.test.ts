import fc from 'fast-check';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../ids';
import { type Actor, SYSTEM_ACTOR } from './actor';
import { PLATFORM_REVIEW_DUE } from '../../test/support/decider-spec';
import {
  EMPTY_STREAM,
  filingEventId,
  GENESIS_HASH,
  hashFilingEvent,
  sealFilingEvents,
  sealFilingEventsAt,
  type TransitionContext,
  verifyFilingChain,
} from './envelope';
import { FILING_SCHEMA_VERSION, type FilingEnvelope, type FilingEvent } from './filing-events';

const FILING_ID = 'filing-0001';
const PLATFORM: Actor = { role: 'platform', id: 'reviewer-7', platformId: 'wechat' };
const CONTEXT: TransitionContext = {
  filingId: FILING_ID,
  occurredAt: '2026-11-30T02:00:00.000Z',
  actor: PLATFORM,
  correlationId: 'corr-1',
  causationId: 'action-1',
};

/** Events whose content does not matter to the chain; the form is left out to keep them small. */
const EVENTS: FilingEvent[] = [
  { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 1 } },
  { type: 'PlatformReviewOverdue', data: { dueAt: PLATFORM_REVIEW_DUE.dueAt } },
  { type: 'FilingReturnedForCorrection', data: { reasons: '截图不清晰' } },
  { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 2 } },
  { type: 'PlatformReviewApproved', data: { reasons: '资料齐全' } },
];

function sealed(events: readonly FilingEvent[] = EVENTS): FilingEnvelope[] {
  return sealFilingEvents(EMPTY_STREAM, events, CONTEXT).envelopes;
}

/** A deep copy that a test may tamper with. */
function copy(envelopes: readonly FilingEnvelope[]): FilingEnvelope[] {
  return JSON.parse(JSON.stringify(envelopes)) as FilingEnvelope[];
}

function at(envelopes: readonly FilingEnvelope[], index: number): FilingEnvelope {
  const envelope = envelopes[index];
  if (!envelope) throw new Error(`no envelope at ${index}`);
  return envelope;
}

/** Recomputes an envelope's hash from its (possibly changed) content, as a careful forger would. */
function rehash(envelope: FilingEnvelope): FilingEnvelope {
  const { hash: _old, ...metadata } = envelope.metadata;
  return { ...envelope, metadata: { ...metadata, hash: hashFilingEvent(envelope, metadata) } };
}

function findings(
  envelopes: readonly FilingEnvelope[],
  filingId = FILING_ID,
): Array<{ seq: number; rule: string }> {
  return verifyFilingChain(filingId, envelopes).map(({ seq, rule }) => ({ seq, rule }));
}

describe('sealFilingEvents', () => {
  it('numbers events from seq 0 and gives each the id UUIDv5(filingId:seq)', () => {
    const envelopes = sealed();
    expect(envelopes.map((envelope) => envelope.metadata.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(envelopes.map((envelope) => envelope.id)).toEqual(
      [0, 1, 2, 3, 4].map((seq) => filingEventId(FILING_ID, seq)),
    );
    for (const envelope of envelopes) {
      expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(envelopes.map((envelope) => envelope.id)).size).toBe(5);
  });

  it('gives the same ids and hashes when the same events are sealed again (a retried append)', () => {
    expect(sealed()).toEqual(sealed());
    expect(filingEventId(FILING_ID, 3)).toBe(filingEventId(FILING_ID, 3));
  });

  it('gives other filings other ids', () => {
    expect(filingEventId('filing-0002', 0)).not.toBe(filingEventId(FILING_ID, 0));
    expect(filingEventId(FILING_ID, 1)).not.toBe(filingEventId(FILING_ID, 0));
  });

  it('chains every event to the hash of the one before, starting from GENESIS_HASH', () => {
    const envelopes = sealed();
    expect(at(envelopes, 0).metadata.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    envelopes.slice(1).forEach((envelope, index) => {
      expect(envelope.metadata.prevHash).toBe(at(envelopes, index).metadata.hash);
    });
    for (const envelope of envelopes) expect(envelope.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(envelopes.map((envelope) => envelope.metadata.hash)).size).toBe(5);
  });

  it('hashes prevHash followed by the canonical type, data and metadata without hash', () => {
    const envelope = at(sealed(), 1);
    const { hash, ...metadata } = envelope.metadata;
    expect(hash).toBe(
      sha256Hex(metadata.prevHash + canonicalJson({ type: envelope.type, data: envelope.data, metadata })),
    );
  });

  it('returns the new head of the stream', () => {
    const { envelopes, head } = sealFilingEvents(EMPTY_STREAM, EVENTS, CONTEXT);
    expect(head).toEqual({ revision: 4, lastHash: at(envelopes, 4).metadata.hash });
    expect(sealFilingEvents(head, [], CONTEXT)).toEqual({ envelopes: [], head });
  });

  it('continues a stream from its head exactly as one sealing of all events would', () => {
    const first = sealFilingEvents(EMPTY_STREAM, EVENTS.slice(0, 2), CONTEXT);
    const rest = sealFilingEvents(first.head, EVENTS.slice(2), CONTEXT);
    expect([...first.envelopes, ...rest.envelopes]).toEqual(sealed());
  });

  it('records the transition’s context and the actor’s role, id and scope, nothing else of it', () => {
    expect(at(sealed(), 0)).toEqual({
      ...EVENTS[0],
      id: filingEventId(FILING_ID, 0),
      metadata: {
        filingId: FILING_ID,
        seq: 0,
        occurredAt: '2026-11-30T02:00:00.000Z',
        actor: { role: 'platform', id: 'reviewer-7', platformId: 'wechat' },
        correlationId: 'corr-1',
        causationId: 'action-1',
        schemaVersion: FILING_SCHEMA_VERSION,
        prevHash: GENESIS_HASH,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });
});

describe('the recorded actor', () => {
  const sealAs = (actor: Actor, schemaVersion: number) =>
    sealFilingEventsAt(schemaVersion, EMPTY_STREAM, EVENTS.slice(0, 1), { ...CONTEXT, actor }).envelopes[0]
      ?.metadata.actor;

  it('carries a bureau actor’s province and a platform actor’s platform from schema version 2', () => {
    expect(sealAs({ role: 'bureau', id: 'officer-1', province: '440000' }, 2)).toEqual({
      role: 'bureau',
      id: 'officer-1',
      province: '440000',
    });
    expect(sealAs({ role: 'platform', id: 'p-1', platformId: 'wechat', province: '110000' }, 2)).toEqual({
      role: 'platform',
      id: 'p-1',
      platformId: 'wechat',
    });
    expect(sealAs(SYSTEM_ACTOR, 2)).toEqual({ role: 'system', id: SYSTEM_ACTOR.id });
  });

  it('is role and id only at schema version 1, as v1 writers recorded it', () => {
    expect(sealAs({ role: 'bureau', id: 'officer-1', province: '440000' }, 1)).toEqual({
      role: 'bureau',
      id: 'officer-1',
    });
  });
});

describe('verifyFilingChain', () => {
  it('finds nothing wrong with an intact chain', () => {
    expect(verifyFilingChain(FILING_ID, sealed())).toEqual([]);
    expect(verifyFilingChain(FILING_ID, [])).toEqual([]);
  });

  it('finds nothing wrong with an intact chain that went through JSON storage', () => {
    expect(verifyFilingChain(FILING_ID, copy(sealed()))).toEqual([]);
  });

  it('reports a hash mismatch at the event whose data was changed', () => {
    const envelopes = copy(sealed());
    const tampered = at(envelopes, 2);
    if (tampered.type !== 'FilingReturnedForCorrection') throw new Error('fixture changed');
    tampered.data.reasons = '资料齐全';
    expect(findings(envelopes)).toEqual([{ seq: 2, rule: 'hash_mismatch' }]);
  });

  it('reports a prevHash mismatch at the next event when the changed event was re-hashed', () => {
    const envelopes = copy(sealed());
    const tampered = at(envelopes, 2);
    if (tampered.type !== 'FilingReturnedForCorrection') throw new Error('fixture changed');
    tampered.data.reasons = '资料齐全';
    envelopes[2] = rehash(tampered);
    expect(findings(envelopes)).toEqual([{ seq: 3, rule: 'prev_hash_mismatch' }]);
  });

  it('reports a hash mismatch at the event whose actor was forged', () => {
    const envelopes = copy(sealed());
    const forged = at(envelopes, 4);
    envelopes[4] = {
      ...forged,
      metadata: { ...forged.metadata, actor: { role: 'bureau', id: 'officer-gd' } },
    };
    expect(findings(envelopes)).toEqual([{ seq: 4, rule: 'hash_mismatch' }]);
    envelopes[4] = rehash(at(envelopes, 4));
    expect(findings(envelopes)).toEqual([]);
  });

  it('reports a forged occurredAt at that event', () => {
    const envelopes = copy(sealed());
    const forged = at(envelopes, 1);
    envelopes[1] = { ...forged, metadata: { ...forged.metadata, occurredAt: '2026-12-31T00:00:00.000Z' } };
    expect(findings(envelopes)).toEqual([{ seq: 1, rule: 'hash_mismatch' }]);
  });

  it('reports a deleted event as a seq gap and a broken link where the chain resumes', () => {
    const envelopes = sealed().filter((envelope) => envelope.metadata.seq !== 2);
    const found = findings(envelopes);
    expect(found.slice(0, 2)).toEqual([
      { seq: 3, rule: 'seq_gap' },
      { seq: 3, rule: 'prev_hash_mismatch' },
    ]);
    expect(found.filter((finding) => finding.seq < 3)).toEqual([]);
    expect(found.map((finding) => finding.rule)).not.toContain('hash_mismatch');
  });

  it('reports a deleted first event at seq 1', () => {
    expect(findings(sealed().slice(1)).slice(0, 2)).toEqual([
      { seq: 1, rule: 'seq_gap' },
      { seq: 1, rule: 'prev_hash_mismatch' },
    ]);
  });

  it('reports two swapped events at both, and the broken link after them', () => {
    const envelopes = sealed();
    [envelopes[2], envelopes[3]] = [at(envelopes, 3), at(envelopes, 2)];
    expect(findings(envelopes)).toEqual([
      { seq: 3, rule: 'seq_gap' },
      { seq: 3, rule: 'prev_hash_mismatch' },
      { seq: 2, rule: 'seq_order' },
      { seq: 2, rule: 'prev_hash_mismatch' },
      { seq: 4, rule: 'prev_hash_mismatch' },
    ]);
  });

  it('reports two events swapped and renumbered as content that no longer matches its hash', () => {
    const envelopes = sealed();
    const [second, third] = [at(envelopes, 2), at(envelopes, 3)];
    envelopes[2] = { ...third, id: second.id, metadata: { ...third.metadata, seq: 2 } };
    envelopes[3] = { ...second, id: third.id, metadata: { ...second.metadata, seq: 3 } };
    expect(findings(envelopes)).toEqual([
      { seq: 2, rule: 'prev_hash_mismatch' },
      { seq: 2, rule: 'hash_mismatch' },
      { seq: 3, rule: 'prev_hash_mismatch' },
      { seq: 3, rule: 'hash_mismatch' },
      { seq: 4, rule: 'prev_hash_mismatch' },
    ]);
  });

  it('reports an event id that is not UUIDv5(filingId:seq)', () => {
    const envelopes = sealed();
    envelopes[1] = { ...at(envelopes, 1), id: filingEventId(FILING_ID, 7) };
    expect(findings(envelopes)).toEqual([{ seq: 1, rule: 'id_mismatch' }]);
  });

  it('reports events of another filing’s stream', () => {
    expect(findings(sealed().slice(0, 2), 'filing-0002')).toEqual([
      { seq: 0, rule: 'filing_id_mismatch' },
      { seq: 0, rule: 'id_mismatch' },
      { seq: 1, rule: 'filing_id_mismatch' },
      { seq: 1, rule: 'id_mismatch' },
    ]);
  });
});

describe('canonicalJson', () => {
  it('does not depend on the order keys were added in', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
    expect(canonicalJson({ c: 3, a: 2, b: 1 })).toBe(canonicalJson({ b: 1, a: 2, c: 3 }));
  });

  it('sorts nested objects, including objects in arrays, without whitespace', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ b: 2, a: 1 }, 'q'] }, a: null })).toBe(
      '{"a":null,"z":{"x":[{"a":1,"b":2},"q"],"y":1}}',
    );
  });

  it('keeps the order of array items', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('keeps Chinese text and emoji as they are and sorts keys by UTF-16 code unit', () => {
    expect(canonicalJson('粤ICP备2026000123号-1A')).toBe('"粤ICP备2026000123号-1A"');
    expect(canonicalJson({ 粤: 1, a: 2, B: 3, é: 4 })).toBe('{"B":3,"a":2,"é":4,"粤":1}');
    // U+1F600 is written as the surrogates D83D DE00, which sort before U+FF01.
    expect(canonicalJson({ '！': 1, '😀': 2 })).toBe('{"😀":2,"！":1}');
  });

  it('drops undefined members, and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe(canonicalJson({ b: 1 }));
    expect(canonicalJson({ nested: { gone: undefined } })).toBe('{"nested":{}}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it.each([NaN, Infinity, -Infinity])('rejects %p', (value) => {
    expect(() => canonicalJson(value)).toThrow('non-finite');
    expect(() => canonicalJson({ a: [1, { b: value }] })).toThrow('non-finite');
  });

  it('rejects values JSON cannot hold', () => {
    expect(() => canonicalJson(BigInt(1))).toThrow('bigint');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function');
    expect(() => canonicalJson(Symbol('s'))).toThrow('symbol');
  });

  it('round-trips any JSON value and ignores key order (property)', () => {
    const reversedKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversedKeys);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([key, member]) => [key, reversedKeys(member)]),
        );
      }
      return value;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reversedKeys(value))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
