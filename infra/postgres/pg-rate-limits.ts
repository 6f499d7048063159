import type { Pool } from 'pg';
import {
  checkRateLimit,
  retryAfterSeconds,
  storedRateLimitKey,
  SWEEP_EVERY_MS,
} from '../rate-limits/rate-limit-keys';
import { noRelease, type PoolRelease } from './pg-pool';
import { type Migration, migrate } from './schema';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS rate_limit_counters (
        limit_key TEXT PRIMARY KEY,
        hits BIGINT[] NOT NULL,
        wait_ms BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS rate_limit_counters_expiry ON rate_limit_counters (expires_at);`,
  },
];

/** $1 key, $2 limit, $3 window (ms), $4 now (ms). The attempts of the stored row still in the window, oldest first. */
const RECENT =
  'ARRAY(SELECT hit FROM unnest(counter.hits) AS hit WHERE hit > $4::bigint - $3::bigint ORDER BY hit)';
const ROOM_LEFT = `cardinality(${RECENT}) < $2::int`;

/**
 * One statement: a new key inserts its first attempt; a known key's row is locked by ON CONFLICT and
 * updated from its latest committed version, so concurrent takes on any host are serialised per key.
 * `wait_ms` holds this take's outcome (0: recorded), which RETURNING reads back.
 */
const TAKE = `INSERT INTO rate_limit_counters AS counter (limit_key, hits, wait_ms, expires_at)
  VALUES ($1, ARRAY[$4::bigint], 0, $4::bigint + $3::bigint)
  ON CONFLICT (limit_key) DO UPDATE SET
    hits = CASE WHEN ${ROOM_LEFT} THEN ${RECENT} || $4::bigint ELSE ${RECENT} END,
    wait_ms = CASE WHEN ${ROOM_LEFT} THEN 0 ELSE (${RECENT})[1] + $3::bigint - $4::bigint END,
    expires_at = CASE WHEN ${ROOM_LEFT} THEN GREATEST(counter.expires_at, $4::bigint + $3::bigint)
      ELSE counter.expires_at END
  RETURNING wait_ms`;

/** The sliding-window attempt counters on PostgreSQL, shared by every API host. */
export class PgRateLimits {
  private nextSweepAt = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly release: () => Promise<void>,
  ) {}

  /** Creates the table if needed; `close()` calls `release` (a pool lease's, or the pool's own `end`). */
  static async open(pool: Pool, options: PoolRelease): Promise<PgRateLimits> {
    await migrate(pool, 'rate-limits', MIGRATIONS);
    return new PgRateLimits(pool, options.release ?? noRelease);
  }

  async take(key: string, limit: number, windowMs: number, now: number): Promise<number> {
    checkRateLimit(limit, windowMs);
    const result = await this.pool.query<{ wait_ms: string }>(TAKE, [
      storedRateLimitKey(key),
      limit,
      windowMs,
      now,
    ]);
    await this.sweepNowAndThen(now);
    return retryAfterSeconds(Number(result.rows[0]!.wait_ms));
  }

  /** Keeps the table bounded: each host drops counters with no attempt left in their window, once a minute. */
  private async sweepNowAndThen(now: number): Promise<void> {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    await this.pool.query('DELETE FROM rate_limit_counters WHERE expires_at <= $1', [now]);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
