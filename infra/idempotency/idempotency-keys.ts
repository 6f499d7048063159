import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/** What a submission's key was first sent with. */
export interface FirstSubmission {
  readonly bodyDigest: string;
  readonly filingId: string;
}

/** A key sent again: the same body is a replay of the first submission, another body a conflict. */
export function laterClaimOf(first: FirstSubmission, bodyDigest: string): KeyClaim {
  return first.bodyDigest === bodyDigest
    ? { outcome: 'replayed', filingId: first.filingId }
    : { outcome: 'conflict', filingId: first.filingId };
}

export type KeyClaim =
  | { outcome: 'claimed'; filingId: string }
  | { outcome: 'replayed'; filingId: string }
  | { outcome: 'conflict'; filingId: string };

/**
 * Remembers what each Idempotency-Key was first sent with, so a retry gets the first answer and a
 * reused key with another body is refused: per platform, which filing a submission created; per
 * filing, which decision a key carried (Temporal deduplicates updates by id alone, so without this a
 * key reused for another decision would silently answer the first one's result). The embedded default
 * (one host); with DATABASE_URL set, PgIdempotencyKeys (infra/postgres) takes its place. Async like it.
 */
export class IdempotencyKeys {
  private readonly db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS submission_keys (
      platform_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      body_digest TEXT NOT NULL,
      filing_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (platform_id, idempotency_key)
    ) STRICT`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS decision_keys (
      filing_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      body_digest TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (filing_id, idempotency_key)
    ) STRICT`);
  }

  /** A submission's key: `filingId` is the id to use if the key is new. */
  async claim(request: {
    platformId: string;
    key: string;
    bodyDigest: string;
    filingId: string;
    now: Date;
  }): Promise<KeyClaim> {
    this.db
      .prepare(
        `INSERT INTO submission_keys (platform_id, idempotency_key, body_digest, filing_id, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(request.platformId, request.key, request.bodyDigest, request.filingId, request.now.toISOString());
    const first = this.firstSubmission(request.platformId, request.key);
    if (!first) throw new Error('idempotency key vanished between its claim and its read');
    if (first.filingId === request.filingId && first.bodyDigest === request.bodyDigest) {
      return { outcome: 'claimed', filingId: first.filingId };
    }
    return laterClaimOf(first, request.bodyDigest);
  }

  /** What a submission's key was first sent with, if it was; writes nothing. */
  async submittedWith(platformId: string, key: string): Promise<FirstSubmission | undefined> {
    return this.firstSubmission(platformId, key);
  }

  private firstSubmission(platformId: string, key: string): FirstSubmission | undefined {
    const row = this.db
      .prepare(
        'SELECT body_digest, filing_id FROM submission_keys WHERE platform_id = ? AND idempotency_key = ?',
      )
      .get(platformId, key) as { body_digest: string; filing_id: string } | undefined;
    return row && { bodyDigest: row.body_digest, filingId: row.filing_id };
  }

  /** A decision's key on one filing: the same decision again is fine, another one is a conflict. */
  async claimDecision(request: {
    filingId: string;
    key: string;
    bodyDigest: string;
    now: Date;
  }): Promise<'ok' | 'conflict'> {
    this.db
      .prepare(
        `INSERT INTO decision_keys (filing_id, idempotency_key, body_digest, created_at)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(request.filingId, request.key, request.bodyDigest, request.now.toISOString());
    const row = this.db
      .prepare('SELECT body_digest FROM decision_keys WHERE filing_id = ? AND idempotency_key = ?')
      .get(request.filingId, request.key) as { body_digest: string };
    return row.body_digest === request.bodyDigest ? 'ok' : 'conflict';
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openIdempotencyKeys(dataDir: string): IdempotencyKeys {
  return new IdempotencyKeys(join(dataDir, 'api.sqlite'));
}
