import { randomBytes } from 'node:crypto';
import type { SmsCodeStore } from '../../activities/ports/sms-code-store.port';
import { SMS_VERIFICATION_WINDOW_MS } from '../../events/working-days/sla';
import { SmsCodeStoreError } from '../../infra/verification/sms-code-store';

export interface SmsCodeStoreFixture {
  store: SmsCodeStore;
  /**
   * Another instance on the same storage, as on a second worker host (its own connection or pool),
   * with the same pepper unless told another.
   */
  another(pepper?: Buffer): Promise<SmsCodeStore>;
  /** Opening with this pepper fails (too short) the way the backend fails. */
  openWithPepper(pepper: Buffer): Promise<unknown>;
  /** Closes every instance the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
}

const ISSUED_AT = new Date('2026-03-02T08:00:00.000Z');
const ID_LAST6 = '03001X';

function later(ms: number): Date {
  return new Date(ISSUED_AT.getTime() + ms);
}

/** Another 6-digit code than `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** The behaviour every store of the 12381 codes must show (SQLite file, PostgreSQL). */
export function describeSmsCodeStoreContract(
  backendName: string,
  open: (pepper: Buffer) => Promise<SmsCodeStoreFixture>,
): void {
  describe(`SmsCodeStore contract: ${backendName}`, () => {
    let fixture: SmsCodeStoreFixture;
    let store: SmsCodeStore;

    beforeEach(async () => {
      fixture = await open(randomBytes(32));
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    function issue(challengeId = 'filing-1/sms-1', idLast6 = ID_LAST6, on = store) {
      return on.issue({ challengeId, idLast6, ttlMs: SMS_VERIFICATION_WINDOW_MS, now: ISSUED_AT });
    }

    function check(
      code: string,
      options: { challengeId?: string; idLast6?: string; now?: Date; on?: SmsCodeStore } = {},
    ) {
      return (options.on ?? store).check({
        challengeId: options.challengeId ?? 'filing-1/sms-1',
        code,
        idLast6: options.idLast6 ?? ID_LAST6,
        now: options.now ?? later(60_000),
      });
    }

    it('issues a 6-digit code valid for the TTL', async () => {
      const issued = await issue();

      expect(issued.code).toMatch(/^\d{6}$/);
      expect(issued.alreadySent).toBe(false);
      expect(issued.expiresAt).toBe('2026-03-03T08:00:00.000Z');
      expect(issued.sendKey).toBe('sms-code:filing-1/sms-1:1');
    });

    it('matches the code with the ID characters until it expires', async () => {
      const { code = '' } = await issue();

      expect(await check(code)).toBe('match');
      expect(await check(code, { now: later(SMS_VERIFICATION_WINDOW_MS - 1) })).toBe('match');
      expect(await check(code, { now: later(SMS_VERIFICATION_WINDOW_MS) })).toBe('expired');
      expect(await check(otherCode(code), { now: later(SMS_VERIFICATION_WINDOW_MS + 1) })).toBe('expired');
    });

    it('answers mismatch for a wrong code, wrong ID characters or both, the same way', async () => {
      const { code = '' } = await issue();

      expect(await check(otherCode(code))).toBe('mismatch');
      expect(await check(code, { idLast6: '03001' })).toBe('mismatch');
      expect(await check(code, { idLast6: '030019' })).toBe('mismatch');
      expect(await check(otherCode(code), { idLast6: '030019' })).toBe('mismatch');
      expect(await check('')).toBe('mismatch');
      expect(await check(`${code}0`)).toBe('mismatch');
    });

    it('does not use a code up: a wrong answer, then the right one, matches (attempts are counted by the workflow)', async () => {
      const { code = '' } = await issue();
      expect(await check(otherCode(code))).toBe('mismatch');
      expect(await check(code)).toBe('match');
      expect(await check(code)).toBe('match');
    });

    it('compares the ID characters case-insensitively (x and X), and reads full-width input', async () => {
      const { code = '' } = await issue('lower', '03001x');
      const fullWidth = code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

      expect(await check(code, { challengeId: 'lower', idLast6: '03001X' })).toBe('match');
      expect(await check(code, { challengeId: 'lower', idLast6: '03001x' })).toBe('match');
      expect(await check(code, { challengeId: 'lower', idLast6: ' ０３００１ｘ ' })).toBe('match');
      expect(await check(fullWidth, { challengeId: 'lower' })).toBe('match');

      const upper = await issue('upper', '03001X');
      expect(await check(upper.code ?? '', { challengeId: 'upper', idLast6: '03001x' })).toBe('match');
    });

    it('answers unknown_challenge for a challenge it never issued', async () => {
      await issue();
      expect(await check('123456', { challengeId: 'filing-1/sms-9' })).toBe('unknown_challenge');
    });

    it('re-issues idempotently: a code not yet sent is replaced, a sent one is never re-generated', async () => {
      const first = await issue();
      const second = await issue();

      expect(second.alreadySent).toBe(false);
      expect(second.code).toMatch(/^\d{6}$/);
      expect(second.sendKey).toBe('sms-code:filing-1/sms-1:2');
      if (second.code !== first.code) expect(await check(first.code ?? '')).toBe('mismatch');
      expect(await check(second.code ?? '')).toBe('match');

      expect(await store.markSent('filing-1/sms-1', { sendKey: second.sendKey })).toBe(true);
      const retried = await store.issue({
        challengeId: 'filing-1/sms-1',
        idLast6: ID_LAST6,
        ttlMs: SMS_VERIFICATION_WINDOW_MS,
        now: later(5 * 60_000),
      });

      expect(retried).toEqual({ alreadySent: true, expiresAt: second.expiresAt, sendKey: second.sendKey });
      expect(retried).not.toHaveProperty('code');
      expect(await check(second.code ?? '')).toBe('match');
    });

    it('does not let a late markSent for a replaced code mark its replacement', async () => {
      const lost = await issue(); // stored, then the activity timed out mid-send
      const replacement = await issue(); // the retry replaced it

      expect(await store.markSent('filing-1/sms-1', { sendKey: lost.sendKey })).toBe(false);
      expect(await store.markSent('filing-1/sms-1', { sendKey: 'sms-code:filing-1/sms-9:2' })).toBe(false);
      expect(await store.markSent('filing-1/sms-1', { sendKey: replacement.sendKey })).toBe(true);
      expect(await store.markSent('filing-1/sms-1', {})).toBe(true);
      expect(await issue()).toEqual({
        alreadySent: true,
        expiresAt: replacement.expiresAt,
        sendKey: replacement.sendKey,
      });
    });

    it('makes the code of an earlier SMS round useless against the new challenge (resubmission)', async () => {
      const oldRound = await issue('filing-1/sms-1');
      await store.markSent('filing-1/sms-1', {});
      let newChallenge = 'filing-1/sms-2';
      let newRound = await issue(newChallenge);
      // Two rounds draw the same code one time in a million: then the old code would be the new one.
      for (let round = 3; newRound.code === oldRound.code; round += 1) {
        newChallenge = `filing-1/sms-${round}`;
        newRound = await issue(newChallenge);
      }

      expect(await check(oldRound.code ?? '', { challengeId: newChallenge })).toBe('mismatch');
      expect(await check(newRound.code ?? '', { challengeId: newChallenge })).toBe('match');
    });

    it('checks a code issued through one instance through another on the same storage (another host)', async () => {
      const { code = '', sendKey } = await issue();
      const elsewhere = await fixture.another();

      expect(await elsewhere.markSent('filing-1/sms-1', { sendKey })).toBe(true);
      expect(await check(code, { on: elsewhere })).toBe('match');
      expect(await check(otherCode(code), { on: elsewhere })).toBe('mismatch');
      expect(await check(code, { on: elsewhere, now: later(SMS_VERIFICATION_WINDOW_MS) })).toBe('expired');
      expect(await issue('filing-1/sms-1', ID_LAST6, elsewhere)).toEqual({
        alreadySent: true,
        expiresAt: '2026-03-03T08:00:00.000Z',
        sendKey,
      });
    });

    it('keeps nothing usable under another pepper', async () => {
      const { code = '' } = await issue();
      const otherPepper = await fixture.another(randomBytes(32));
      expect(await check(code, { on: otherPepper })).toBe('mismatch');
    });

    it('gives concurrent issues of one challenge from two instances distinct send keys, and the last one stands', async () => {
      const elsewhere = await fixture.another();
      const issued = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          issue('filing-1/sms-1', ID_LAST6, i % 2 === 0 ? store : elsewhere),
        ),
      );
      const keys = issued.map((one) => one.sendKey);
      expect(new Set(keys).size).toBe(8);
      const last = issued.find((one) => one.sendKey === 'sms-code:filing-1/sms-1:8');
      expect(last?.code).toMatch(/^\d{6}$/);
      expect(await check(last?.code ?? '', { on: elsewhere })).toBe('match');
      for (const stale of issued.filter((one) => one !== last)) {
        expect(await elsewhere.markSent('filing-1/sms-1', { sendKey: stale.sendKey })).toBe(false);
      }
    });

    it('hands out no code once one of concurrent issues after the send sees it marked sent', async () => {
      const elsewhere = await fixture.another();
      const first = await issue();
      await store.markSent('filing-1/sms-1', { sendKey: first.sendKey });
      const retries = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          issue('filing-1/sms-1', ID_LAST6, i % 2 === 0 ? store : elsewhere),
        ),
      );
      for (const retry of retries) {
        expect(retry).toEqual({ alreadySent: true, expiresAt: first.expiresAt, sendKey: first.sendKey });
      }
    });

    it('rejects bad input with errors that do not repeat it', async () => {
      const attempt = (idLast6: string, extra: { challengeId?: string; ttlMs?: number } = {}) =>
        store.issue({
          challengeId: 'c',
          idLast6,
          ttlMs: SMS_VERIFICATION_WINDOW_MS,
          now: ISSUED_AT,
          ...extra,
        });

      for (const bad of ['1234X', '12345XY', '12-45X']) {
        await expect(attempt(bad)).rejects.toThrow(SmsCodeStoreError);
        await expect(attempt(bad)).rejects.toThrow(/^idLast6 must be 6 letters or digits$/);
      }
      await expect(attempt(ID_LAST6, { challengeId: ' ' })).rejects.toThrow(
        'challengeId must be a non-empty string',
      );
      await expect(attempt(ID_LAST6, { ttlMs: 0 })).rejects.toThrow('ttlMs must be a positive integer');
      await expect(store.markSent('never-issued', {})).rejects.toThrow(
        'no SMS code was issued for challenge never-issued',
      );
      await expect(fixture.openWithPepper(randomBytes(16))).rejects.toThrow(
        'the pepper must be at least 32 bytes',
      );
    });
  });
}
