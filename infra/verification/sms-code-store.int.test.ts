import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMS_VERIFICATION_WINDOW_MS } from '../../events/working-days/sla';
import { describeSmsCodeStoreContract } from '../../test/contracts/sms-code-store.contract';
import { openSqliteSmsCodeStore, type SmsCodeStore } from './sms-code-store';

const ISSUED_AT = new Date('2026-03-02T08:00:00.000Z');
const ID_LAST6 = '03001X';

/** Each instance has a connection of its own on the same file, as two processes would. */
describeSmsCodeStoreContract('sqlite', async (pepper) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-sms-codes-'));
  const opened: SmsCodeStore[] = [];
  const open = async (withPepper = pepper): Promise<SmsCodeStore> => {
    const store = openSqliteSmsCodeStore(dataDir, withPepper);
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    another: open,
    openWithPepper: open,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SmsCodeStore on SQLite', () => {
  let dataDir: string;
  let pepper: Buffer;
  let store: SmsCodeStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-sms-codes-'));
    pepper = randomBytes(32);
    store = openSqliteSmsCodeStore(dataDir, pepper);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function issue(challengeId = 'filing-1/sms-1', idLast6 = ID_LAST6) {
    return store.issue({ challengeId, idLast6, ttlMs: SMS_VERIFICATION_WINDOW_MS, now: ISSUED_AT });
  }

  function check(code: string) {
    return store.check({
      challengeId: 'filing-1/sms-1',
      code,
      idLast6: ID_LAST6,
      now: new Date(ISSUED_AT.getTime() + 60_000),
    });
  }

  it('keeps working after reopening the file', async () => {
    const { code = '' } = await issue();
    await store.close();

    store = openSqliteSmsCodeStore(dataDir, pepper);
    expect(await check(code)).toBe('match');
  });

  it('stores neither the code nor the ID characters in clear', async () => {
    const codes = [(await issue('a', '12345X')).code, (await issue('b', '98765X')).code];
    await store.markSent('a');
    await store.close();

    const files = readdirSync(dataDir).filter((name) => name.startsWith('verification.sqlite'));
    expect(files).toContain('verification.sqlite');
    const bytes = files.map((name) => readFileSync(join(dataDir, name)).toString('latin1')).join('');
    for (const secret of [...codes, '12345X', '12345x', '98765X']) expect(bytes).not.toContain(secret);
  });

  it('hashes fast enough to check inline (well under 50 ms per check)', async () => {
    const { code = '' } = await issue();
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) await check(code);
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
