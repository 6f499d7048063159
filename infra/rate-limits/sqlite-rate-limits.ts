import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { checkRateLimit, retryAfterSeconds, storedRateLimitKey, SWEEP_EVERY_MS } from './rate-limit-keys';

/**
 * Sliding-window attempt counters in a SQLite file: one row per key with the times (ms) of the
 * attempts still in its window. The embedded default (one host); with DATABASE_URL set, PgRateLimits
 * (infra/postgres) takes its place. A take is one IMMEDIATE transaction, so instances on the same file
 * (several processes of one host) share the limit.
 */
export class SqliteRateLimits {
  private readonly db: Database.Database;
  private readonly takeInTransaction: (key: string, limit: number, windowMs: number, now: number) => number;
  private nextSweepAt = 0;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS rate_limit_counters (
      limit_key TEXT PRIMARY KEY,
      hits TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS rate_limit_counters_expiry ON rate_limit_counters (expires_at)`);
    const read = this.db.prepare<[string], { hits: string }>(
      'SELECT hits FROM rate_limit_counters WHERE limit_key = ?',
    );
    const write = this.db.prepare<[string, string, number]>(
      `INSERT INTO rate_limit_counters (limit_key, hits, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (limit_key) DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at`,
    );
    const transaction = this.db.transaction((key: string, limit: number, windowMs: number, now: number) => {
      const row = read.get(key);
      const hits = row ? (JSON.parse(row.hits) as number[]) : [];
      const recent = hits.filter((at) => at > now - windowMs).sort((a, b) => a - b);
      if (recent.length >= limit) return recent[0]! + windowMs - now;
      recent.push(now);
      write.run(key, JSON.stringify(recent), Math.max(...recent) + windowMs);
      return 0;
    });
    this.takeInTransaction = (...args) => transaction.immediate(...args);
  }

  async take(key: string, limit: number, windowMs: number, now: number): Promise<number> {
    checkRateLimit(limit, windowMs);
    const waitMs = this.takeInTransaction(storedRateLimitKey(key), limit, windowMs, now);
    this.sweepNowAndThen(now);
    return retryAfterSeconds(waitMs);
  }

  /** Keeps the table bounded: drops counters with no attempt left in their window, once a minute. */
  private sweepNowAndThen(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    this.db.prepare('DELETE FROM rate_limit_counters WHERE expires_at <= ?').run(now);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The API's counters in `api.sqlite`, beside its Idempotency-Keys. */
export function openRateLimits(dataDir: string): SqliteRateLimits {
  return new SqliteRateLimits(join(dataDir, 'api.sqlite'));
}
