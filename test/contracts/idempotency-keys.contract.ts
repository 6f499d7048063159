import { randomUUID } from 'node:crypto';
import type { IdempotencyKeys } from '../../services/filings/idempotency-keys.port';

export interface IdempotencyKeysFixture {
  keys: IdempotencyKeys;
  /** Another instance on the same storage, as on a second host (its own connection or pool). */
  another(): Promise<IdempotencyKeys>;
  /** Closes every instance the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
}

/** The behaviour every Idempotency-Keys backend must show (SQLite file, PostgreSQL). */
export function describeIdempotencyKeysContract(
  backendName: string,
  open: () => Promise<IdempotencyKeysFixture>,
): void {
  describe(`IdempotencyKeys contract: ${backendName}`, () => {
    let fixture: IdempotencyKeysFixture;
    let keys: IdempotencyKeys;
    const now = new Date('2026-12-07T08:00:00.000Z');
    const submission = (overrides: Partial<Parameters<IdempotencyKeys['claim']>[0]> = {}) => ({
      platformId: 'platform-a',
      key: `key-${randomUUID()}`,
      bodyDigest: 'digest-1',
      filingId: randomUUID(),
      now,
      ...overrides,
    });

    beforeEach(async () => {
      fixture = await open();
      keys = fixture.keys;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('claim', () => {
      it('claims a new key for the filing id it is given', async () => {
        const request = submission();
        expect(await keys.claim(request)).toEqual({ outcome: 'claimed', filingId: request.filingId });
      });

      it('answers the same key and body with the first filing id (replayed)', async () => {
        const first = submission();
        await keys.claim(first);
        expect(await keys.claim({ ...first, filingId: randomUUID() })).toEqual({
          outcome: 'replayed',
          filingId: first.filingId,
        });
      });

      it('refuses the same key with another body (conflict), naming the first filing', async () => {
        const first = submission();
        await keys.claim(first);
        expect(await keys.claim({ ...first, bodyDigest: 'digest-2', filingId: randomUUID() })).toEqual({
          outcome: 'conflict',
          filingId: first.filingId,
        });
      });

      it('keeps keys per platform: the same key on another platform is a new claim', async () => {
        const first = submission();
        await keys.claim(first);
        const other = { ...first, platformId: 'platform-b', filingId: randomUUID() };
        expect(await keys.claim(other)).toEqual({ outcome: 'claimed', filingId: other.filingId });
      });

      it('is seen by another instance on the same storage', async () => {
        const first = submission();
        await keys.claim(first);
        const second = await fixture.another();
        expect(await second.claim({ ...first, filingId: randomUUID() })).toEqual({
          outcome: 'replayed',
          filingId: first.filingId,
        });
      });

      it('gives exactly one of many concurrent claims of one key from two instances the key', async () => {
        const second = await fixture.another();
        const key = `key-${randomUUID()}`;
        const attempts = Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? keys : second).claim(submission({ key, filingId: `filing-${i}` })),
        );
        const claims = await Promise.all(attempts);
        const claimed = claims.filter((claim) => claim.outcome === 'claimed');
        expect(claimed).toHaveLength(1);
        expect(claims.filter((claim) => claim.outcome === 'replayed')).toHaveLength(claims.length - 1);
        expect(new Set(claims.map((claim) => claim.filingId))).toEqual(new Set([claimed[0]!.filingId]));
      });
    });

    describe('submittedWith', () => {
      it('reads what a key was first sent with, and nothing for an unused key', async () => {
        const first = submission();
        expect(await keys.submittedWith(first.platformId, first.key)).toBeUndefined();
        await keys.claim(first);
        await keys.claim({ ...first, bodyDigest: 'digest-2', filingId: randomUUID() });
        expect(await keys.submittedWith(first.platformId, first.key)).toEqual({
          bodyDigest: first.bodyDigest,
          filingId: first.filingId,
        });
        expect(await keys.submittedWith('platform-b', first.key)).toBeUndefined();
      });
    });

    describe('claimDecision', () => {
      const decision = (filingId: string, key: string, bodyDigest = 'approve') => ({
        filingId,
        key,
        bodyDigest,
        now,
      });

      it('accepts a key for a decision and the same decision again, refuses another decision', async () => {
        const filingId = randomUUID();
        expect(await keys.claimDecision(decision(filingId, 'k1'))).toBe('ok');
        expect(await keys.claimDecision(decision(filingId, 'k1'))).toBe('ok');
        expect(await keys.claimDecision(decision(filingId, 'k1', 'reject'))).toBe('conflict');
      });

      it('keeps decision keys per filing', async () => {
        expect(await keys.claimDecision(decision(randomUUID(), 'k1'))).toBe('ok');
        expect(await keys.claimDecision(decision(randomUUID(), 'k1', 'reject'))).toBe('ok');
      });

      it('binds a key to the first of concurrent decisions from two instances', async () => {
        const second = await fixture.another();
        const filingId = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            (i % 2 === 0 ? keys : second).claimDecision(
              decision(filingId, 'k', i < 2 ? 'approve' : `other-${i}`),
            ),
          ),
        );
        expect(results.filter((result) => result === 'ok').length).toBeGreaterThanOrEqual(1);
        // Whichever body won, only calls that sent it are ok.
        const winner = results.findIndex((result) => result === 'ok');
        const winningBody = winner < 2 ? 'approve' : `other-${winner}`;
        results.forEach((result, i) => {
          const body = i < 2 ? 'approve' : `other-${i}`;
          expect(result).toBe(body === winningBody ? 'ok' : 'conflict');
        });
      });
    });
  });
}
