/** What a submission's Idempotency-Key was first sent with. */
export type KeyClaim =
  | { outcome: 'claimed'; filingId: string }
  | { outcome: 'replayed'; filingId: string }
  | { outcome: 'conflict'; filingId: string };

/**
 * Remembers what each Idempotency-Key was first sent with, so a retry gets the first answer and a
 * reused key with another body is refused. Adapters: a SQLite file per host (the embedded default) or
 * PostgreSQL shared by every host (DATABASE_URL); a claim is atomic across hosts.
 */
export interface IdempotencyKeys {
  /** Per platform: which filing a submission created. */
  claim(request: {
    platformId: string;
    key: string;
    bodyDigest: string;
    filingId: string;
    now: Date;
  }): Promise<KeyClaim>;
  /** What a submission's key was first sent with, if it was; writes nothing. */
  submittedWith(
    platformId: string,
    key: string,
  ): Promise<{ bodyDigest: string; filingId: string } | undefined>;
  /** Per filing: a decision's key; the same decision again is fine, another one is a conflict. */
  claimDecision(request: {
    filingId: string;
    key: string;
    bodyDigest: string;
    now: Date;
  }): Promise<'ok' | 'conflict'>;
}
