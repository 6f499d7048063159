import type { Pool } from 'pg';
import { type FirstSubmission, type KeyClaim, laterClaimOf } from '../idempotency/idempotency-keys';
import { noRelease, type PoolRelease } from './pg-pool';
import { type Migration, migrate } from './schema';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS submission_keys (
        platform_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        body_digest TEXT NOT NULL,
        filing_id TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (platform_id, idempotency_key)
      );
      CREATE TABLE IF NOT EXISTS decision_keys (
        filing_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        body_digest TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (filing_id, idempotency_key)
      );`,
  },
];

/**
 * The Idempotency-Keys on PostgreSQL, shared by every API host: a key sent to two hosts binds one
 * filing. Each write is `INSERT … ON CONFLICT DO NOTHING RETURNING` on its own (autocommit): a row back
 * means this call claimed the key; none means another call holds it, committed by the time the
 * conflict was seen, so the following SELECT (a new snapshot) reads what it was first sent with.
 */
export class PgIdempotencyKeys {
  private constructor(
    private readonly pool: Pool,
    private readonly release: () => Promise<void>,
  ) {}

  /** Creates the tables if needed; `close()` calls `release` (a pool lease's, or the pool's own `end`). */
  static async open(pool: Pool, options: PoolRelease): Promise<PgIdempotencyKeys> {
    await migrate(pool, 'idempotency-keys', MIGRATIONS);
    return new PgIdempotencyKeys(pool, options.release ?? noRelease);
  }

  /** A submission's key: `filingId` is the id to use if the key is new. */
  async claim(request: {
    platformId: string;
    key: string;
    bodyDigest: string;
    filingId: string;
    now: Date;
  }): Promise<KeyClaim> {
    const inserted = await this.pool.query(
      `INSERT INTO submission_keys (platform_id, idempotency_key, body_digest, filing_id, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING filing_id`,
      [request.platformId, request.key, request.bodyDigest, request.filingId, request.now],
    );
    if (inserted.rowCount === 1) return { outcome: 'claimed', filingId: request.filingId };
    const first = await this.submittedWith(request.platformId, request.key);
    if (!first) throw new Error('idempotency key vanished between its claim and its read');
    return laterClaimOf(first, request.bodyDigest);
  }

  /** What a submission's key was first sent with, if it was; writes nothing. */
  async submittedWith(platformId: string, key: string): Promise<FirstSubmission | undefined> {
    const result = await this.pool.query<{ body_digest: string; filing_id: string }>(
      'SELECT body_digest, filing_id FROM submission_keys WHERE platform_id = $1 AND idempotency_key = $2',
      [platformId, key],
    );
    const row = result.rows[0];
    return row && { bodyDigest: row.body_digest, filingId: row.filing_id };
  }

  /** A decision's key on one filing: the same decision again is fine, another one is a conflict. */
  async claimDecision(request: {
    filingId: string;
    key: string;
    bodyDigest: string;
    now: Date;
  }): Promise<'ok' | 'conflict'> {
    const inserted = await this.pool.query(
      `INSERT INTO decision_keys (filing_id, idempotency_key, body_digest, created_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING filing_id`,
      [request.filingId, request.key, request.bodyDigest, request.now],
    );
    if (inserted.rowCount === 1) return 'ok';
    const result = await this.pool.query<{ body_digest: string }>(
      'SELECT body_digest FROM decision_keys WHERE filing_id = $1 AND idempotency_key = $2',
      [request.filingId, request.key],
    );
    const row = result.rows[0];
    if (!row) throw new Error('decision key vanished between its claim and its read');
    return row.body_digest === request.bodyDigest ? 'ok' : 'conflict';
  }

  async close(): Promise<void> {
    await this.release();
  }
}
