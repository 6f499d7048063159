import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/** Name of the pepper for `loadOrCreateSecret` (`ICP_SECRET_SMS_CODE_PEPPER` overrides the file). */
export const SMS_CODE_PEPPER_SECRET = 'sms-code-pepper';

export type SmsCodeCheck = 'match' | 'mismatch' | 'expired' | 'unknown_challenge';

export interface IssuedSmsCode {
  /** The code in clear, to send right away and then forget; absent when it was already sent. */
  code?: string;
  expiresAt: string;
  alreadySent: boolean;
  /**
   * Idempotency key for sending this code. A replacement code gets a new key: were the key the
   * challenge id, a gateway that already took the lost code would drop its replacement as a retry.
   */
  sendKey: string;
}

export class SmsCodeStoreError extends Error {
  override readonly name = 'SmsCodeStoreError';
}

interface ChallengeRow {
  issuance: number;
  salt: Buffer;
  code_hash: Buffer;
  id_hash: Buffer;
  expires_at: string;
  sent_at: string | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sms_challenge (
    challenge_id TEXT PRIMARY KEY,
    issuance INTEGER NOT NULL,
    salt BLOB NOT NULL,
    code_hash BLOB NOT NULL,
    id_hash BLOB NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sent_at TEXT
  );
`;

const SALT_BYTES = 16;
const MIN_PEPPER_BYTES = 32;
const ID_LAST6 = /^[0-9A-Z]{6}$/;

export function smsCodeStoreFile(dataDir: string): string {
  return join(dataDir, 'verification.sqlite');
}

/**
 * The 12381 codes of the SMS verification step, one per challenge (one SMS round). Holds no code
 * and no ID characters in clear, and never logs; errors name the challenge at most.
 *
 * Hashing is HMAC-SHA256 keyed by a server pepper, over a per-challenge salt and the value. A slow
 * hash (scrypt) would not protect a 6-digit code: 10^6 guesses stay cheap at any cost a request can
 * afford. What protects it is the pepper, which lives outside this database (an env variable or
 * `secrets/`): a copy of the database alone cannot be brute-forced. And HMAC takes microseconds.
 */
export class SmsCodeStore {
  private readonly db: Database.Database;

  constructor(
    readonly file: string,
    private readonly pepper: Buffer,
  ) {
    requirePepper(pepper);
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /**
   * The code for a challenge, idempotently. Once `markSent` recorded its delivery, a retry gets
   * `alreadySent` and no code. A code stored but never marked sent (a crash before or during the
   * send) is replaced by a fresh one: only a code still in hand can be sent again.
   */
  async issue(request: IssueRequest): Promise<IssuedSmsCode> {
    return this.issueNow(request);
  }

  private issueNow(request: IssueRequest): IssuedSmsCode {
    const { challengeId, idLast6, ttlMs, now, issuedAt } = validIssueRequest(request);

    const issueOnce = this.db.transaction((): IssuedSmsCode => {
      const row = this.find(challengeId);
      if (row?.sent_at) {
        return { alreadySent: true, expiresAt: row.expires_at, sendKey: sendKey(challengeId, row.issuance) };
      }
      const issuance = (row?.issuance ?? 0) + 1;
      const { code, salt } = newCode();
      const expiresAt = isoTime(new Date(now.getTime() + ttlMs));
      this.db
        .prepare(
          `INSERT INTO sms_challenge (challenge_id, issuance, salt, code_hash, id_hash, issued_at, expires_at, sent_at)
           VALUES (@challengeId, @issuance, @salt, @codeHash, @idHash, @issuedAt, @expiresAt, NULL)
           ON CONFLICT (challenge_id) DO UPDATE SET
             issuance = excluded.issuance, salt = excluded.salt, code_hash = excluded.code_hash,
             id_hash = excluded.id_hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
             sent_at = NULL`,
        )
        .run({
          challengeId,
          issuance,
          salt,
          codeHash: hashValue(this.pepper, 'code', salt, code),
          idHash: hashValue(this.pepper, 'id', salt, idLast6),
          issuedAt,
          expiresAt,
        });
      return { code, alreadySent: false, expiresAt, sendKey: sendKey(challengeId, issuance) };
    });
    return issueOnce.immediate();
  }

  /**
   * Records that the challenge's code was delivered. With `sendKey`, marks only the code that key
   * was issued for and returns false if that code has since been replaced (so a late caller cannot
   * mark a replacement that was never sent).
   */
  async markSent(challengeId: string, options: { sendKey?: string; now?: Date } = {}): Promise<boolean> {
    const row = this.find(challengeId);
    if (!row) throw new SmsCodeStoreError(`no SMS code was issued for challenge ${challengeId}`);
    if (options.sendKey !== undefined && options.sendKey !== sendKey(challengeId, row.issuance)) return false;
    this.db
      .prepare(
        'UPDATE sms_challenge SET sent_at = COALESCE(sent_at, ?) WHERE challenge_id = ? AND issuance = ?',
      )
      .run(isoTime(options.now ?? new Date()), challengeId, row.issuance);
    return true;
  }

  /**
   * Compares both the code and the ID characters, always both and in constant time, so the answer
   * does not reveal which one was wrong.
   */
  async check(request: CheckRequest): Promise<SmsCodeCheck> {
    const now = Date.parse(isoTime(request.now));
    const row = this.find(request.challengeId);
    if (!row) return 'unknown_challenge';
    return verdict(
      this.pepper,
      { salt: row.salt, codeHash: row.code_hash, idHash: row.id_hash, expiresAt: Date.parse(row.expires_at) },
      request,
      now,
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private find(challengeId: string): ChallengeRow | undefined {
    return this.db
      .prepare(
        'SELECT issuance, salt, code_hash, id_hash, expires_at, sent_at FROM sms_challenge WHERE challenge_id = ?',
      )
      .get(challengeId) as ChallengeRow | undefined;
  }
}

export function openSqliteSmsCodeStore(dataDir: string, pepper: Buffer): SmsCodeStore {
  return new SmsCodeStore(smsCodeStoreFile(dataDir), pepper);
}

// What every backend shares: validation, hashing, the send key and the verdict, so both answer alike.

export type IssueRequest = { challengeId: string; idLast6: string; ttlMs: number; now: Date };
export type CheckRequest = { challengeId: string; code: string; idLast6: string; now: Date };

/** Checks an issue request; errors never repeat the ID characters. */
export function validIssueRequest(request: IssueRequest): IssueRequest & { issuedAt: string } {
  const { challengeId, ttlMs, now } = request;
  requireChallengeId(challengeId);
  const idLast6 = normalizeIdLast6(request.idLast6);
  if (!ID_LAST6.test(idLast6)) throw new SmsCodeStoreError('idLast6 must be 6 letters or digits');
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw new SmsCodeStoreError('ttlMs must be a positive integer');
  return { challengeId, idLast6, ttlMs, now, issuedAt: isoTime(now) };
}

export function requirePepper(pepper: Buffer): void {
  if (pepper.length < MIN_PEPPER_BYTES) {
    throw new SmsCodeStoreError(`the pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }
}

/** A fresh 6-digit code and the salt to hash it with. */
export function newCode(): { code: string; salt: Buffer } {
  return { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), salt: randomBytes(SALT_BYTES) };
}

export function hashValue(pepper: Buffer, purpose: 'code' | 'id', salt: Buffer, value: string): Buffer {
  return createHmac('sha256', pepper).update(`icp-sms-${purpose}\0`).update(salt).update(value).digest();
}

/**
 * Compares both the code and the ID characters, always both and in constant time, so the answer
 * does not reveal which one was wrong; expiry is decided after both comparisons.
 */
export function verdict(
  pepper: Buffer,
  stored: { salt: Buffer; codeHash: Buffer; idHash: Buffer; expiresAt: number },
  request: CheckRequest,
  now: number,
): Exclude<SmsCodeCheck, 'unknown_challenge'> {
  const codeMatches = timingSafeEqual(
    hashValue(pepper, 'code', stored.salt, normalizeCode(request.code)),
    stored.codeHash,
  );
  const idMatches = timingSafeEqual(
    hashValue(pepper, 'id', stored.salt, normalizeIdLast6(request.idLast6)),
    stored.idHash,
  );
  if (now >= stored.expiresAt) return 'expired';
  return (Number(codeMatches) & Number(idMatches)) === 1 ? 'match' : 'mismatch';
}

export function sendKey(challengeId: string, issuance: number): string {
  return `sms-code:${challengeId}:${issuance}`;
}

// NFKC turns the full-width digits and letters of Chinese input methods (１２３４５６, ｘ) into ASCII.
function normalizeCode(code: string): string {
  return code.normalize('NFKC').trim();
}

function normalizeIdLast6(idLast6: string): string {
  return idLast6.normalize('NFKC').trim().toUpperCase();
}

export function requireChallengeId(challengeId: string): void {
  if (typeof challengeId !== 'string' || challengeId.trim() === '') {
    throw new SmsCodeStoreError('challengeId must be a non-empty string');
  }
}

export function isoTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new SmsCodeStoreError('now must be a valid date');
  return date.toISOString();
}
