import type { Pool } from 'pg';
import type { IssuedSmsCode, SmsCodeCheck } from '../verification/sms-code-store';
import {
  type CheckRequest,
  hashValue,
  isoTime,
  type IssueRequest,
  newCode,
  requirePepper,
  sendKey,
  SmsCodeStoreError,
  validIssueRequest,
  verdict,
} from '../verification/sms-code-store';
import { inTransaction, noRelease, type PoolRelease } from './pg-pool';
import { type Migration, migrate } from './schema';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS sms_challenge (
        challenge_id TEXT PRIMARY KEY,
        issuance INTEGER NOT NULL,
        salt BYTEA NOT NULL,
        code_hash BYTEA NOT NULL,
        id_hash BYTEA NOT NULL,
        issued_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        sent_at TIMESTAMPTZ
      );`,
  },
];

/** First key of the per-challenge advisory locks (the second is the challenge id's hash). */
const ISSUE_LOCK_SPACE = 12381;

interface ChallengeRow {
  issuance: number;
  salt: Buffer;
  code_hash: Buffer;
  id_hash: Buffer;
  expires_at: Date;
  sent_at: Date | null;
}

/**
 * The 12381 codes on PostgreSQL, shared by every worker host: a code one worker sent is checked by
 * whichever worker picks the answer up. Same semantics as the SQLite store (salted, peppered HMACs,
 * nothing in clear; idempotent issue per challenge; expiry; constant-time comparison), and the same
 * helpers, so both answer alike.
 *
 * `issue` runs in one transaction under a transaction-scoped advisory lock on the challenge, so two
 * workers issuing the same challenge at once are serialised: the second sees the first's row (and
 * its issuance) and never hands out a code under a send key another code already holds.
 * `markSent` is one conditional UPDATE on the issuance its send key names.
 */
export class PgSmsCodeStore {
  private constructor(
    private readonly pool: Pool,
    private readonly pepper: Buffer,
    private readonly release: () => Promise<void>,
  ) {}

  /** Creates the table if needed; `close()` calls `release` (a pool lease's, or the pool's own `end`). */
  static async open(pool: Pool, pepper: Buffer, options: PoolRelease): Promise<PgSmsCodeStore> {
    requirePepper(pepper);
    await migrate(pool, 'sms-codes', MIGRATIONS);
    return new PgSmsCodeStore(pool, pepper, options.release ?? noRelease);
  }

  /**
   * The code for a challenge, idempotently. Once `markSent` recorded its delivery, a retry gets
   * `alreadySent` and no code. A code stored but never marked sent is replaced by a fresh one.
   */
  async issue(request: IssueRequest): Promise<IssuedSmsCode> {
    const { challengeId, idLast6, ttlMs, now, issuedAt } = validIssueRequest(request);
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ISSUE_LOCK_SPACE, challengeId]);
      const found = await client.query<Pick<ChallengeRow, 'issuance' | 'expires_at' | 'sent_at'>>(
        'SELECT issuance, expires_at, sent_at FROM sms_challenge WHERE challenge_id = $1 FOR UPDATE',
        [challengeId],
      );
      const row = found.rows[0];
      if (row?.sent_at) {
        return {
          alreadySent: true,
          expiresAt: row.expires_at.toISOString(),
          sendKey: sendKey(challengeId, row.issuance),
        };
      }
      const issuance = (row?.issuance ?? 0) + 1;
      const { code, salt } = newCode();
      const expiresAt = isoTime(new Date(now.getTime() + ttlMs));
      await client.query(
        `INSERT INTO sms_challenge (challenge_id, issuance, salt, code_hash, id_hash, issued_at, expires_at, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
         ON CONFLICT (challenge_id) DO UPDATE SET
           issuance = excluded.issuance, salt = excluded.salt, code_hash = excluded.code_hash,
           id_hash = excluded.id_hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
           sent_at = NULL`,
        [
          challengeId,
          issuance,
          salt,
          hashValue(this.pepper, 'code', salt, code),
          hashValue(this.pepper, 'id', salt, idLast6),
          issuedAt,
          expiresAt,
        ],
      );
      return { code, alreadySent: false, expiresAt, sendKey: sendKey(challengeId, issuance) };
    });
  }

  /**
   * Records that the challenge's code was delivered. With `sendKey`, marks only the code that key
   * was issued for and returns false if that code has since been replaced.
   */
  async markSent(challengeId: string, options: { sendKey?: string; now?: Date } = {}): Promise<boolean> {
    const sentAt = isoTime(options.now ?? new Date());
    const issuance = options.sendKey === undefined ? null : issuanceOf(challengeId, options.sendKey);
    if (issuance !== undefined) {
      const updated = await this.pool.query(
        `UPDATE sms_challenge SET sent_at = COALESCE(sent_at, $2)
         WHERE challenge_id = $1 AND ($3::integer IS NULL OR issuance = $3)`,
        [challengeId, sentAt, issuance],
      );
      if (updated.rowCount === 1) return true;
    }
    const exists = await this.pool.query('SELECT 1 FROM sms_challenge WHERE challenge_id = $1', [
      challengeId,
    ]);
    if (exists.rowCount === 0) {
      throw new SmsCodeStoreError(`no SMS code was issued for challenge ${challengeId}`);
    }
    return false;
  }

  /** Compares both the code and the ID characters, always both and in constant time. */
  async check(request: CheckRequest): Promise<SmsCodeCheck> {
    const now = Date.parse(isoTime(request.now));
    const found = await this.pool.query<ChallengeRow>(
      'SELECT issuance, salt, code_hash, id_hash, expires_at, sent_at FROM sms_challenge WHERE challenge_id = $1',
      [request.challengeId],
    );
    const row = found.rows[0];
    if (!row) return 'unknown_challenge';
    return verdict(
      this.pepper,
      { salt: row.salt, codeHash: row.code_hash, idHash: row.id_hash, expiresAt: row.expires_at.getTime() },
      request,
      now,
    );
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/** The issuance a send key names; `undefined` when it is not one of this challenge's keys. */
function issuanceOf(challengeId: string, key: string): number | undefined {
  const prefix = sendKey(challengeId, 0).slice(0, -1);
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  if (!/^[1-9]\d{0,8}$/.test(rest)) return undefined;
  return Number(rest);
}
