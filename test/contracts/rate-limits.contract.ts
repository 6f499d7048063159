import { randomUUID } from 'node:crypto';
import type { RateLimits } from '../../services/applicant/rate-limits.port';

export interface RateLimitsFixture {
  limits: RateLimits;
  /** Another instance on the same storage, as on a second host (its own connection or pool). */
  another(): Promise<RateLimits>;
  /** The keys as the storage holds them (one per counter row). */
  storedKeys(): Promise<string[]>;
  /** Closes every instance the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-07T08:00:00.000Z');

/** The behaviour every rate-limit backend must show (SQLite file, PostgreSQL). */
export function describeRateLimitsContract(
  backendName: string,
  open: () => Promise<RateLimitsFixture>,
): void {
  describe(`RateLimits contract: ${backendName}`, () => {
    let fixture: RateLimitsFixture;
    let limits: RateLimits;
    const newKey = () => `client:203.0.113.${randomUUID()}`;

    beforeEach(async () => {
      fixture = await open();
      limits = fixture.limits;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('allows `limit` attempts in a window, then asks to wait until the oldest leaves it', async () => {
      const key = newKey();
      const taken = [];
      for (let i = 0; i < 3; i += 1) taken.push(await limits.take(key, 3, MINUTE, T0 + i * 10_000));
      expect(taken).toEqual([0, 0, 0]);
      // At T0+25 s the first attempt (T0) leaves the window at T0+60 s: 35 s to wait.
      expect(await limits.take(key, 3, MINUTE, T0 + 25_000)).toBe(35);
      // Part of a second counts as a whole one, and never as zero.
      expect(await limits.take(key, 3, MINUTE, T0 + 59_999)).toBe(1);
    });

    it('allows an attempt again once the window has passed, and did not count the refused ones', async () => {
      const key = newKey();
      await limits.take(key, 2, MINUTE, T0);
      await limits.take(key, 2, MINUTE, T0 + 30_000);
      for (let i = 1; i <= 5; i += 1)
        expect(await limits.take(key, 2, MINUTE, T0 + 30_000 + i)).toBeGreaterThan(0);
      // T0 has left the window; T0+30 s has not: one attempt, then wait for T0+30 s to leave.
      expect(await limits.take(key, 2, MINUTE, T0 + MINUTE)).toBe(0);
      expect(await limits.take(key, 2, MINUTE, T0 + MINUTE + 1)).toBe(30);
      expect(await limits.take(key, 2, MINUTE, T0 + 2 * MINUTE + 30_000)).toBe(0);
    });

    it('counts each key on its own', async () => {
      const [a, b] = [newKey(), newKey()];
      expect(await limits.take(a, 1, MINUTE, T0)).toBe(0);
      expect(await limits.take(a, 1, MINUTE, T0 + 1)).toBeGreaterThan(0);
      expect(await limits.take(b, 1, MINUTE, T0 + 2)).toBe(0);
    });

    it('is shared with another instance on the same storage', async () => {
      const second = await fixture.another();
      const key = newKey();
      expect(await limits.take(key, 2, MINUTE, T0)).toBe(0);
      expect(await second.take(key, 2, MINUTE, T0 + 1)).toBe(0);
      expect(await limits.take(key, 2, MINUTE, T0 + 2)).toBe(60);
      expect(await second.take(key, 2, MINUTE, T0 + 3)).toBe(60);
    });

    it('lets no more than `limit` of many concurrent attempts from two instances through', async () => {
      const second = await fixture.another();
      const key = newKey();
      const waits = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? limits : second).take(key, 10, MINUTE, T0 + (i % 3)),
        ),
      );
      expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
      expect(waits.filter((wait) => wait > 0)).toHaveLength(30);
    });

    it('keeps no key in clear, and drops counters once their attempts have left the window', async () => {
      const keys = Array.from({ length: 5 }, newKey);
      for (const key of keys) await limits.take(key, 3, MINUTE, T0);
      const stored = await fixture.storedKeys();
      expect(stored.length).toBeGreaterThanOrEqual(keys.length);
      for (const key of keys) {
        expect(stored).not.toContain(key);
        expect(stored.join('\n')).not.toContain('203.0.113.');
      }

      const live = newKey();
      await limits.take(live, 3, MINUTE, T0 + MINUTE + 30_000);
      await limits.take(newKey(), 3, MINUTE, T0 + 3 * MINUTE);
      // A sweep runs at most once a minute; by T0+3 min every counter but the last has expired.
      expect(await fixture.storedKeys()).toHaveLength(1);
    });

    it('refuses a limit below one or a window that is not a positive whole number, naming it', async () => {
      await expect(limits.take(newKey(), 0, MINUTE, T0)).rejects.toThrow(/limit must be/);
      await expect(limits.take(newKey(), 1, 0, T0)).rejects.toThrow(/windowMs must be/);
    });
  });
}
