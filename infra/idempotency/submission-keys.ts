import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type KeyClaim =
  | { outcome: 'claimed'; filingId: string }
  | { outcome: 'replayed'; filingId: string }
  | { outcome: 'conflict'; filingId: string };

/**
 * Remembers which filing each platform's Idempotency-Key created, and from which body, so a retried
 * POST returns the same filing and a reused key with another body is refused.
 */
export class SubmissionKeys {
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
  }

  claim(request: {
    platformId: string;
    key: string;
    bodyDigest: string;
    filingId: string;
    now: Date;
  }): KeyClaim {
    this.db
      .prepare(
        `INSERT INTO submission_keys (platform_id, idempotency_key, body_digest, filing_id, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(request.platformId, request.key, request.bodyDigest, request.filingId, request.now.toISOString());
    const row = this.db
      .prepare(
        'SELECT body_digest, filing_id FROM submission_keys WHERE platform_id = ? AND idempotency_key = ?',
      )
      .get(request.platformId, request.key) as { body_digest: string; filing_id: string };
    if (row.filing_id === request.filingId && row.body_digest === request.bodyDigest) {
      return { outcome: 'claimed', filingId: row.filing_id };
    }
    return row.body_digest === request.bodyDigest
      ? { outcome: 'replayed', filingId: row.filing_id }
      : { outcome: 'conflict', filingId: row.filing_id };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openSubmissionKeys(dataDir: string): SubmissionKeys {
  return new SubmissionKeys(join(dataDir, 'api.sqlite'));
}
