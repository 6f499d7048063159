import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox, outboxFile, readOutbox, type SqliteOutbox } from './outbox';

describe('SQLite outbox', () => {
  let dataDir: string;
  let outbox: SqliteOutbox;
  let clock: number;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-'));
    clock = Date.UTC(2026, 0, 5, 9, 0, 0);
    outbox = openOutbox(dataDir, () => new Date((clock += 1_000)));
  });

  afterEach(() => {
    outbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores SMS and email in <dataDir>/outbox.sqlite and lists them newest first', async () => {
    await outbox.sms.send({
      to: '13800138000',
      sender: '12381',
      text: 'code 123456',
      idempotencyKey: 'sms-1',
    });
    await outbox.email.send({
      to: 'ops@example.cn',
      subject: 'Filing approved',
      text: 'Your number is 粤ICP备2026000123号-1A',
      idempotencyKey: 'mail-1',
    });

    expect(existsSync(outboxFile(dataDir))).toBe(true);
    expect(outbox.listOutbox()).toEqual([
      {
        channel: 'email',
        to: 'ops@example.cn',
        subject: 'Filing approved',
        text: 'Your number is 粤ICP备2026000123号-1A',
        idempotencyKey: 'mail-1',
        createdAt: '2026-01-05T09:00:02.000Z',
      },
      {
        channel: 'sms',
        to: '13800138000',
        sender: '12381',
        text: 'code 123456',
        idempotencyKey: 'sms-1',
        createdAt: '2026-01-05T09:00:01.000Z',
      },
    ]);
  });

  it('keeps the first message when a send is retried with the same idempotency key', async () => {
    const sms = { to: '13800138000', sender: '12381', text: 'code 123456', idempotencyKey: 'k' };
    await outbox.sms.send(sms);
    await outbox.sms.send(sms);
    await outbox.sms.send({ ...sms, text: 'code 654321' });

    expect(outbox.listOutbox().map((m) => m.text)).toEqual(['code 123456']);
  });

  it('deduplicates across two handles on the same file (two processes retrying)', async () => {
    const other = openOutbox(dataDir);
    try {
      const mail = { to: 'a@example.cn', subject: 's', text: 't', idempotencyKey: 'shared' };
      await Promise.all([outbox.email.send(mail), other.email.send(mail)]);
      expect(other.listOutbox()).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  it('filters by recipient and limits the count, newest first', async () => {
    for (let i = 1; i <= 5; i += 1) {
      await outbox.sms.send({
        to: i % 2 ? '13800000001' : '13800000002',
        sender: '12381',
        text: `m${i}`,
        idempotencyKey: `k${i}`,
      });
    }

    expect(outbox.listOutbox({ to: '13800000001' }).map((m) => m.text)).toEqual(['m5', 'm3', 'm1']);
    expect(outbox.listOutbox({ limit: 2 }).map((m) => m.text)).toEqual(['m5', 'm4']);
    expect(outbox.listOutbox({ to: '13800000002', limit: 1 }).map((m) => m.text)).toEqual(['m4']);
    expect(outbox.listOutbox({ to: 'nobody' })).toEqual([]);
    expect(() => outbox.listOutbox({ limit: 0 })).toThrow(RangeError);
  });

  it('lists newest first even when two messages share a timestamp', async () => {
    const fixed = openOutbox(dataDir, () => new Date('2026-01-05T10:00:00.000Z'));
    try {
      await fixed.sms.send({ to: '1', sender: '12381', text: 'first', idempotencyKey: 'a' });
      await fixed.sms.send({ to: '1', sender: '12381', text: 'second', idempotencyKey: 'b' });
      expect(fixed.listOutbox().map((m) => m.text)).toEqual(['second', 'first']);
    } finally {
      fixed.close();
    }
  });

  it('rejects a message without recipient or key, naming the field and not the text', async () => {
    await expect(
      outbox.sms.send({ to: ' ', sender: '12381', text: 'secret 987654', idempotencyKey: 'k' }),
    ).rejects.toThrow('sms message: to is empty');
    await expect(
      outbox.email.send({ to: 'a@example.cn', subject: 's', text: 'secret 987654', idempotencyKey: '' }),
    ).rejects.toThrow(/^email message: idempotencyKey is empty$/);
    expect(outbox.listOutbox()).toEqual([]);
  });

  it('reads a closed outbox from disk, and a missing one as empty without creating it', async () => {
    await outbox.sms.send({ to: '13800138000', sender: '12381', text: 'persisted', idempotencyKey: 'p' });
    outbox.close();

    expect(readOutbox(dataDir).map((m) => m.text)).toEqual(['persisted']);
    expect(readOutbox(dataDir, { to: 'other' })).toEqual([]);

    const emptyDir = join(dataDir, 'never-used');
    expect(readOutbox(emptyDir)).toEqual([]);
    expect(existsSync(emptyDir)).toBe(false);
  });
});
