/**
 * A sliding-window limit per key (a filing, a client address). In memory: it slows guessing on one
 * API process; the workflow's five-attempt rule is the limit that holds across processes.
 */
export class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; returns the seconds to wait when over the limit, else 0. */
  take(key: string, now: number = Date.now()): number {
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return Math.ceil(((recent[0] ?? now) + this.windowMs - now) / 1000);
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 100_000) this.evictIdle(now);
    return 0;
  }

  private evictIdle(now: number): void {
    for (const [key, times] of this.hits)
      if (times.every((at) => now - at >= this.windowMs)) this.hits.delete(key);
  }
}
