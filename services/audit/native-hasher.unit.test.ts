import { canonicalJson } from '../../events/canonical-json';
import { PURE_CHAIN_HASHER } from '../../events/ids';
import {
  EMPTY_STREAM,
  filingEventId,
  hashFilingEvent,
  sealFilingEvents,
  verifyFilingChain,
} from '../../events/filing/envelope';
import type { FilingEvent, FilingEventMetadata } from '../../events/filing/filing-events';
import { hashRegistryEvent, registryEventId } from '../../events/registry/registry-envelope';
import { complianceEventId, hashComplianceEvent } from '../../events/compliance/compliance-envelope';
import { SeededRandom } from '../../test/support/seeded-random';
import { NATIVE_CHAIN_HASHER } from './native-hasher';

/** Text pieces a payload may hold: astral planes, combining marks, CJK, escapes, lone surrogates. */
const PIECES = [
  'abc',
  '深圳市南山区科技园',
  '粤ICP备12345678号-1',
  '😀👩‍👩‍👧‍👦🀄',
  '\u{1D11E}\u{10FFFF}\u{20000}',
  'e\u0301 a\u0308 \u0915\u094D\u0937',
  '"quoted" \\back\\slash/',
  '\n\r\t\b\f\u0000\u001f\u007f',
  '\u2028\u2029\ufeff\ufffd',
  '\ud800',
  '\udc00x',
  '',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1 + 0.2,
  1e21,
  1e-7,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  123456789.125,
  2 ** 53 + 2,
];

function text(random: SeededRandom): string {
  let out = '';
  for (let n = random.int(0, 4); n > 0; n -= 1) out += PIECES[random.int(0, PIECES.length - 1)];
  return out;
}

function value(random: SeededRandom, depth: number): unknown {
  const pick = depth > 3 ? random.int(0, 4) : random.int(0, 7);
  if (pick === 0) return text(random);
  if (pick === 1) return NUMBERS[random.int(0, NUMBERS.length - 1)];
  if (pick === 2) return random.next() < 0.5;
  if (pick === 3) return null;
  if (pick === 4) return random.int(-1_000_000, 1_000_000);
  if (pick === 5) return Array.from({ length: random.int(0, 4) }, () => value(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let n = random.int(0, 5); n > 0; n -= 1) object[text(random) || String(n)] = value(random, depth + 1);
  if (random.next() < 0.2) object.dropped = undefined;
  return object;
}

/** A payload several times bigger than any form: over 1 MiB of mixed text, or 2,000 levels deep. */
function hugeValue(index: number): unknown {
  if (index % 2 === 0) return { big: PIECES.join('').repeat(Math.ceil((1 << 20) / 60)), index };
  let nested: unknown = { bottom: PIECES.join('|') };
  for (let level = 0; level < 2_000; level += 1)
    nested = level % 2 ? [nested, level] : { [`k${level}`]: nested };
  return nested;
}

function metadataFor(random: SeededRandom, seq: number): Omit<FilingEventMetadata, 'hash'> {
  return {
    filingId: `filing-${text(random)}-${seq}`,
    seq,
    occurredAt: '2026-12-08T00:00:00.000Z',
    actor: { role: 'platform', id: text(random), platformId: text(random) },
    correlationId: text(random),
    causationId: text(random),
    schemaVersion: 2,
    prevHash: seq % 3 === 0 ? '0'.repeat(64) : PURE_CHAIN_HASHER.sha256Hex(String(seq)),
  };
}

describe('the auditor’s node:crypto hasher', () => {
  it('gives the same hashes and event ids as the pure one on 10,000 generated events', () => {
    const random = new SeededRandom(21, 4);
    let large = 0;
    for (let seq = 0; seq < 10_000; seq += 1) {
      const data = seq % 1_000 === 999 ? hugeValue(Math.floor(seq / 1_000)) : value(random, 0);
      if (seq % 1_000 === 999) large += canonicalJson(data).length >= 1 << 20 ? 1 : 0;
      const event = { type: text(random) || 'Event', data };
      const metadata = metadataFor(random, seq);
      const pure = hashFilingEvent(event, metadata, PURE_CHAIN_HASHER);
      expect(hashFilingEvent(event, metadata, NATIVE_CHAIN_HASHER)).toBe(pure);
      expect(filingEventId(metadata.filingId, seq, NATIVE_CHAIN_HASHER)).toBe(
        filingEventId(metadata.filingId, seq, PURE_CHAIN_HASHER),
      );
    }
    expect(large).toBe(5);
  });

  it('hashes registry and compliance events and names their ids as the writers do', () => {
    const random = new SeededRandom(21, 5);
    for (let seq = 0; seq < 200; seq += 1) {
      const streamId = `stream-${text(random)}`;
      const event = { type: 'Recorded', data: value(random, 0) };
      const metadata = {
        streamId,
        seq,
        occurredAt: '2026-12-08T00:00:00.000Z',
        recordedBy: { role: 'system', id: text(random) },
        causationId: text(random),
        prevHash: '0'.repeat(64),
      } as const;
      const registry = { ...metadata, schemaVersion: 2 } as const;
      const compliance = { ...metadata, schemaVersion: 1 } as const;
      expect(hashRegistryEvent(event, registry, NATIVE_CHAIN_HASHER)).toBe(
        hashRegistryEvent(event, registry),
      );
      expect(hashComplianceEvent(event, compliance, NATIVE_CHAIN_HASHER)).toBe(
        hashComplianceEvent(event, compliance),
      );
      expect(registryEventId(streamId, seq, NATIVE_CHAIN_HASHER)).toBe(registryEventId(streamId, seq));
      expect(complianceEventId(streamId, seq, NATIVE_CHAIN_HASHER)).toBe(complianceEventId(streamId, seq));
    }
  });

  it('verifies a chain the workflow sealed with the pure hasher, and finds a rewritten event', () => {
    const events: FilingEvent[] = [
      { type: 'FilingReturnedForCorrection', data: { reasons: '截图不清晰 😀' } },
      { type: 'PlatformReviewApproved', data: { reasons: '资料齐全' } },
    ];
    const context = {
      filingId: 'filing-粤-1',
      occurredAt: '2026-12-08T00:00:00.000Z',
      actor: { role: 'platform', id: 'reviewer-7', platformId: 'wechat' },
      correlationId: 'corr-1',
      causationId: 'action-1',
    } as const;
    const { envelopes } = sealFilingEvents(EMPTY_STREAM, events, context);
    expect(verifyFilingChain(context.filingId, envelopes, NATIVE_CHAIN_HASHER)).toEqual([]);
    const rewritten = envelopes.map((envelope, index) =>
      index === 1 ? { ...envelope, data: { reasons: '资料齐全。' } } : envelope,
    );
    expect(verifyFilingChain(context.filingId, rewritten, NATIVE_CHAIN_HASHER)).toEqual(
      verifyFilingChain(context.filingId, rewritten, PURE_CHAIN_HASHER),
    );
    expect(verifyFilingChain(context.filingId, rewritten, NATIVE_CHAIN_HASHER).map((f) => f.rule)).toEqual([
      'hash_mismatch',
    ]);
  });
});
