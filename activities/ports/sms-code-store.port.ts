/** What the 12381 activities need of the store that keeps each challenge's salted code hash. */
export type SmsCodeCheck = 'match' | 'mismatch' | 'expired' | 'unknown_challenge';

export interface IssuedSmsCode {
  /** The code in clear, to send right away and then forget; absent when it was already sent. */
  code?: string;
  expiresAt: string;
  alreadySent: boolean;
  /** Idempotency key for sending this code; a replacement code gets a new one. */
  sendKey: string;
}

/** Asynchronous: the store may be a file on this host or a database every worker host shares. */
export interface SmsCodeStore {
  /** The code for a challenge, idempotently: once marked sent, a retry gets `alreadySent` and no code. */
  issue(request: { challengeId: string; idLast6: string; ttlMs: number; now: Date }): Promise<IssuedSmsCode>;
  markSent(challengeId: string, options: { sendKey?: string; now?: Date }): Promise<boolean>;
  check(request: { challengeId: string; code: string; idLast6: string; now: Date }): Promise<SmsCodeCheck>;
}

/** What the applicant typed: the 12381 code and the last 6 characters of the ID number. */
export interface SmsAnswer {
  code: string;
  idLast6: string;
}

/** Opens an answer the API sealed; `null` when it cannot be opened (forged, or sealed with another key). */
export type OpenSmsAnswer = (sealed: string) => SmsAnswer | null;
