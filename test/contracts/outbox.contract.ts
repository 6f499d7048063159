import type { Outbox } from '../../infra/notify/outbox';

export interface OutboxFixture {
  outbox: Outbox;
  /** Another instance on the same storage, as on a second worker host (its own connection or pool). */
  another(): Promise<Outbox>;
  /** Closes every instance the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
}

const sms = (overrides: Partial<Parameters<Outbox['sms']['send']>[0]> = {}) => ({
  to: '13800138000',
  sender: '12381',
  text: 'code 123456',
  idempotencyKey: 'sms-1',
  ...overrides,
});

/**
 * The behaviour every outbox backend must show (SQLite file, PostgreSQL). `open(now)` opens the
 * first instance with that clock.
 */
export function describeOutboxContract(
  backendName: string,
  open: (now: () => Date) => Promise<OutboxFixture>,
): void {
  describe(`Outbox contract: ${backendName}`, () => {
    let fixture: OutboxFixture | undefined;
    let clock: number;
    const ticking = () => new Date((clock += 1_000));

    beforeEach(() => {
      clock = Date.UTC(2026, 0, 5, 9, 0, 0);
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    const start = async (now: () => Date = ticking): Promise<Outbox> => {
      fixture = await open(now);
      return fixture.outbox;
    };

    it('stores an SMS and an e-mail and lists them most recent first', async () => {
      const outbox = await start();
      await outbox.sms.send(sms());
      await outbox.email.send({
        to: 'ops@example.cn',
        subject: 'Filing approved',
        text: 'Your number is 粤ICP备2026000123号-1A',
        idempotencyKey: 'mail-1',
      });

      expect(await outbox.list()).toEqual([
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
      const outbox = await start();
      await outbox.sms.send(sms({ idempotencyKey: 'k' }));
      await outbox.sms.send(sms({ idempotencyKey: 'k' }));
      await outbox.sms.send(sms({ idempotencyKey: 'k', text: 'code 654321' }));

      expect((await outbox.list()).map((m) => m.text)).toEqual(['code 123456']);
    });

    it('stores one message for many concurrent sends of one key from two instances', async () => {
      const outbox = await start();
      const other = await fixture!.another();
      const mail = { to: 'a@example.cn', subject: 's', text: 't', idempotencyKey: 'shared' };
      await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? outbox : other).email.send(mail)),
      );

      expect(await outbox.list()).toHaveLength(1);
      expect(await other.list()).toEqual(await outbox.list());
    });

    it('shows what one instance sent to another on the same storage', async () => {
      const outbox = await start();
      await outbox.sms.send(sms());
      const other = await fixture!.another();

      expect((await other.list({ to: '13800138000' })).map((m) => m.idempotencyKey)).toEqual(['sms-1']);
    });

    it('filters by recipient and limits the count, most recent first', async () => {
      const outbox = await start();
      for (let i = 1; i <= 5; i += 1) {
        await outbox.sms.send(
          sms({ to: i % 2 ? '13800000001' : '13800000002', text: `m${i}`, idempotencyKey: `k${i}` }),
        );
      }
      const texts = async (filter: Parameters<Outbox['list']>[0]) =>
        (await outbox.list(filter)).map((m) => m.text);

      expect(await texts({ to: '13800000001' })).toEqual(['m5', 'm3', 'm1']);
      expect(await texts({ limit: 2 })).toEqual(['m5', 'm4']);
      expect(await texts({ to: '13800000002', limit: 1 })).toEqual(['m4']);
      expect(await texts({ to: 'nobody' })).toEqual([]);
      await expect(outbox.list({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it('lists the later of two messages with one timestamp first', async () => {
      const outbox = await start(() => new Date('2026-01-05T10:00:00.000Z'));
      await outbox.sms.send(sms({ to: '1', text: 'first', idempotencyKey: 'a' }));
      await outbox.sms.send(sms({ to: '1', text: 'second', idempotencyKey: 'b' }));

      expect((await outbox.list()).map((m) => m.text)).toEqual(['second', 'first']);
    });

    it('rejects a message without recipient or key, naming the field and not the text', async () => {
      const outbox = await start();
      await expect(outbox.sms.send(sms({ to: ' ', text: 'secret 987654' }))).rejects.toThrow(
        'sms message: to is empty',
      );
      await expect(
        outbox.email.send({ to: 'a@example.cn', subject: 's', text: 'secret 987654', idempotencyKey: '' }),
      ).rejects.toThrow(/^email message: idempotencyKey is empty$/);

      expect(await outbox.list()).toEqual([]);
    });
  });
}
