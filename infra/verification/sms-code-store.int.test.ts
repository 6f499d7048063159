import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMS_VERIFICATION_WINDOW_MS } from '../../events/working-days/sla';
import { openSmsCodeStore, type SmsCodeStore, SmsCodeStoreError } from './sms-code-store';

const ISSUED_AT = new Date('2026-03-02T08:00:00.000Z');
const ID_LAST6 = '03001X';

function later(ms: number): Date {
  return new Date(ISSUED_AT.getTime() + ms);
}

/** Another 6-digit code than `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describe('SmsCodeStore', () => {
  let dataDir: string;
  let pepper: Buffer;
  let store: SmsCodeStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-sms-codes-'));
    pepper = randomBytes(32);
    store = openSmsCodeStore(dataDir, pepper);
  });

  afterEach(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function issue(challengeId = 'filing-1/sms-1', idLast6 = ID_LAST6) {
    return store.issue({ challengeId, idLast6, ttlMs: SMS_VERIFICATION_WINDOW_MS, now: ISSUED_AT });
  }

  function check(code: string, options: { challengeId?: string; idLast6?: string; now?: Date } = {}) {
    return store.check({
      challengeId: options.challengeId ?? 'filing-1/sms-1',
      code,
      idLast6: options.idLast6 ?? ID_LAST6,
      now: options.now ?? later(60_000),
    });
  }

  it('issues a 6-digit code valid for the TTL', () => {
    const issued = issue();

    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.alreadySent).toBe(false);
    expect(issued.expiresAt).toBe('2026-03-03T08:00:00.000Z');
    expect(issued.sendKey).toBe('sms-code:filing-1/sms-1:1');
  });

  it('matches the code with the ID characters until it expires', () => {
    const { code = '' } = issue();

    expect(check(code)).toBe('match');
    expect(check(code, { now: later(SMS_VERIFICATION_WINDOW_MS - 1) })).toBe('match');
    expect(check(code, { now: later(SMS_VERIFICATION_WINDOW_MS) })).toBe('expired');
    expect(check(otherCode(code), { now: later(SMS_VERIFICATION_WINDOW_MS + 1) })).toBe('expired');
  });

  it('answers mismatch for a wrong code, wrong ID characters or both, the same way', () => {
    const { code = '' } = issue();

    expect(check(otherCode(code))).toBe('mismatch');
    expect(check(code, { idLast6: '03001' })).toBe('mismatch');
    expect(check(code, { idLast6: '030019' })).toBe('mismatch');
    expect(check(otherCode(code), { idLast6: '030019' })).toBe('mismatch');
    expect(check('')).toBe('mismatch');
    expect(check(`${code}0`)).toBe('mismatch');
  });

  it('compares the ID characters case-insensitively (x and X), and reads full-width input', () => {
    const { code = '' } = issue('lower', '03001x');
    const fullWidth = code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

    expect(check(code, { challengeId: 'lower', idLast6: '03001X' })).toBe('match');
    expect(check(code, { challengeId: 'lower', idLast6: '03001x' })).toBe('match');
    expect(check(code, { challengeId: 'lower', idLast6: ' ０３００１ｘ ' })).toBe('match');
    expect(check(fullWidth, { challengeId: 'lower' })).toBe('match');

    const upper = issue('upper', '03001X');
    expect(check(upper.code ?? '', { challengeId: 'upper', idLast6: '03001x' })).toBe('match');
  });

  it('answers unknown_challenge for a challenge it never issued', () => {
    issue();
    expect(check('123456', { challengeId: 'filing-1/sms-9' })).toBe('unknown_challenge');
  });

  it('re-issues idempotently: a code not yet sent is replaced, a sent one is never re-generated', () => {
    const first = issue();
    const second = issue();

    expect(second.alreadySent).toBe(false);
    expect(second.code).toMatch(/^\d{6}$/);
    expect(second.sendKey).toBe('sms-code:filing-1/sms-1:2');
    if (second.code !== first.code) expect(check(first.code ?? '')).toBe('mismatch');
    expect(check(second.code ?? '')).toBe('match');

    expect(store.markSent('filing-1/sms-1', { sendKey: second.sendKey })).toBe(true);
    const retried = store.issue({
      challengeId: 'filing-1/sms-1',
      idLast6: ID_LAST6,
      ttlMs: SMS_VERIFICATION_WINDOW_MS,
      now: later(5 * 60_000),
    });

    expect(retried).toEqual({ alreadySent: true, expiresAt: second.expiresAt, sendKey: second.sendKey });
    expect(retried).not.toHaveProperty('code');
    expect(check(second.code ?? '')).toBe('match');
  });

  it('does not let a late markSent for a replaced code mark its replacement', () => {
    const lost = issue(); // stored, then the activity timed out mid-send
    const replacement = issue(); // the retry replaced it

    expect(store.markSent('filing-1/sms-1', { sendKey: lost.sendKey })).toBe(false);
    expect(store.markSent('filing-1/sms-1', { sendKey: replacement.sendKey })).toBe(true);
    expect(store.markSent('filing-1/sms-1')).toBe(true);
    expect(issue()).toEqual({
      alreadySent: true,
      expiresAt: replacement.expiresAt,
      sendKey: replacement.sendKey,
    });
  });

  it('makes the code of an earlier SMS round useless against the new challenge (resubmission)', () => {
    const oldRound = issue('filing-1/sms-1');
    store.markSent('filing-1/sms-1');
    let newChallenge = 'filing-1/sms-2';
    let newRound = issue(newChallenge);
    // Two rounds draw the same code one time in a million: then the old code would be the new one.
    for (let round = 3; newRound.code === oldRound.code; round += 1) {
      newChallenge = `filing-1/sms-${round}`;
      newRound = issue(newChallenge);
    }

    expect(check(oldRound.code ?? '', { challengeId: newChallenge })).toBe('mismatch');
    expect(check(newRound.code ?? '', { challengeId: newChallenge })).toBe('match');
  });

  it('keeps working after reopening, but not under another pepper', () => {
    const { code = '' } = issue();
    store.close();

    store = openSmsCodeStore(dataDir, pepper);
    expect(check(code)).toBe('match');
    store.close();

    store = openSmsCodeStore(dataDir, randomBytes(32));
    expect(check(code)).toBe('mismatch');
  });

  it('stores neither the code nor the ID characters in clear', () => {
    const codes = [issue('a', '12345X').code, issue('b', '98765X').code];
    store.markSent('a');
    store.close();

    const files = readdirSync(dataDir).filter((name) => name.startsWith('verification.sqlite'));
    expect(files).toContain('verification.sqlite');
    const bytes = files.map((name) => readFileSync(join(dataDir, name)).toString('latin1')).join('');
    for (const secret of [...codes, '12345X', '12345x', '98765X']) expect(bytes).not.toContain(secret);
  });

  it('rejects bad input with errors that do not repeat it', () => {
    const attempt =
      (idLast6: string, extra: { challengeId?: string; ttlMs?: number } = {}) =>
      () =>
        store.issue({
          challengeId: 'c',
          idLast6,
          ttlMs: SMS_VERIFICATION_WINDOW_MS,
          now: ISSUED_AT,
          ...extra,
        });

    for (const bad of ['1234X', '12345XY', '12-45X']) {
      expect(attempt(bad)).toThrow(SmsCodeStoreError);
      expect(attempt(bad)).toThrow(/^idLast6 must be 6 letters or digits$/);
    }
    expect(attempt(ID_LAST6, { challengeId: ' ' })).toThrow('challengeId must be a non-empty string');
    expect(attempt(ID_LAST6, { ttlMs: 0 })).toThrow('ttlMs must be a positive integer');
    expect(() => store.markSent('never-issued')).toThrow('no SMS code was issued for challenge never-issued');
    expect(() => openSmsCodeStore(dataDir, randomBytes(16))).toThrow('the pepper must be at least 32 bytes');
  });

  it('hashes fast enough to check inline (well under 50 ms per check)', () => {
    const { code = '' } = issue();
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) check(code);
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
