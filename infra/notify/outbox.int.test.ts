import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOutboxContract } from '../../test/contracts/outbox.contract';
import { openOutbox, outboxFile, readOutbox, type SqliteOutbox } from './outbox';

describeOutboxContract('sqlite', async (now) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-'));
  const opened = [openOutbox(dataDir, now)];
  return {
    outbox: opened[0]!,
    another: async () => {
      const outbox = openOutbox(dataDir);
      opened.push(outbox);
      return outbox;
    },
    cleanup: async () => {
      await Promise.all(opened.map((outbox) => outbox.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SQLite outbox file', () => {
  let dataDir: string;
  let outbox: SqliteOutbox;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-'));
    outbox = openOutbox(dataDir, () => new Date('2026-01-05T09:00:00.000Z'));
  });

  afterEach(async () => {
    await outbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is <dataDir>/outbox.sqlite, also listed synchronously', async () => {
    await outbox.sms.send({ to: '13800138000', sender: '12381', text: 'code 1', idempotencyKey: 'k' });

    expect(existsSync(outboxFile(dataDir))).toBe(true);
    expect(outbox.listOutbox().map((m) => m.text)).toEqual(['code 1']);
  });

  it('reads a closed outbox from disk, and a missing one as empty without creating it', async () => {
    await outbox.sms.send({ to: '13800138000', sender: '12381', text: 'persisted', idempotencyKey: 'p' });
    await outbox.close();

    expect(readOutbox(dataDir).map((m) => m.text)).toEqual(['persisted']);
    expect(readOutbox(dataDir, { to: 'other' })).toEqual([]);

    const emptyDir = join(dataDir, 'never-used');
    expect(readOutbox(emptyDir)).toEqual([]);
    expect(existsSync(emptyDir)).toBe(false);
  });
});
