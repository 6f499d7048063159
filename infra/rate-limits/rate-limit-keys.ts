import { createHash } from 'node:crypto';

/** How often an instance deletes counters whose attempts have all left their window. */
export const SWEEP_EVERY_MS = 60_000;

/** The key as stored: a SHA-256 digest, so a row names no key in clear and has a bounded size. */
export function storedRateLimitKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A limit of at least one attempt in a positive window, else an error naming the argument. */
export function checkRateLimit(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`rate limit: limit must be a whole number ≥ 1, got ${limit}`);
  if (!Number.isSafeInteger(windowMs) || windowMs < 1)
    throw new RangeError(`rate limit: windowMs must be a whole number ≥ 1, got ${windowMs}`);
}

/** Whole seconds to wait (at least 1) for a wait in milliseconds; 0 for none. */
export function retryAfterSeconds(waitMs: number): number {
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}
