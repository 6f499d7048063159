/** Injection token for the `RateLimits` store that the composition root binds. */
export const RATE_LIMITS = Symbol('RateLimits');

/**
 * Sliding-window attempt counters shared by every API host that uses the same store: a SQLite file on
 * one host (the embedded default) or PostgreSQL (DATABASE_URL), where a take is atomic across hosts.
 * Adapters keep only a digest of each key; callers still pass no personal data in clear.
 */
export interface RateLimits {
  /**
   * Records an attempt under `key` at `now` (ms since the epoch) unless `limit` attempts were already
   * recorded in the `windowMs` before it. Returns 0 when recorded, else the whole seconds (≥ 1) until
   * the oldest of those leaves the window; a refused attempt is not recorded.
   */
  take(key: string, limit: number, windowMs: number, now: number): Promise<number>;
}
