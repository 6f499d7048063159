import type { Pool } from 'pg';
import {
  emailRecord,
  type OutboxFilter,
  type Outbox,
  type OutboxMessage,
  type OutboxRecord,
  type OutgoingEmail,
  type OutgoingSms,
  outboxLimit,
  smsRecord,
  toMessage,
} from '../notify/outbox';
import { noRelease, type PoolRelease } from './pg-pool';
import { type Migration, migrate } from './schema';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS outbox (
        id BIGSERIAL PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        recipient TEXT NOT NULL,
        sender TEXT,
        subject TEXT,
        text TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX IF NOT EXISTS outbox_by_recipient ON outbox (recipient, created_at);
      CREATE INDEX IF NOT EXISTS outbox_by_time ON outbox (created_at);`,
  },
];

interface PgOutboxRow {
  channel: 'sms' | 'email';
  recipient: string;
  sender: string | null;
  subject: string | null;
  text: string;
  idempotency_key: string;
  created_at: Date;
}

/**
 * The embedded SMS gateway and mail server on PostgreSQL, shared by every worker host: what one
 * worker "sent" is listed by `icp outbox` on any host. Like the SQLite file it holds messages in
 * clear (verification codes included) and is a development and test stand-in. A send is one
 * `INSERT … ON CONFLICT (idempotency_key) DO NOTHING`: retries from any host keep the first message.
 */
export class PgOutbox implements Outbox {
  readonly sms = { send: async (message: OutgoingSms): Promise<void> => this.insert(smsRecord(message)) };
  readonly email = {
    send: async (message: OutgoingEmail): Promise<void> => this.insert(emailRecord(message)),
  };

  private constructor(
    private readonly pool: Pool,
    private readonly release: () => Promise<void>,
    private readonly now: () => Date,
  ) {}

  /** Creates the table if needed; `close()` calls `release` (a pool lease's, or the pool's own `end`). */
  static async open(pool: Pool, options: PoolRelease & { now?: () => Date }): Promise<PgOutbox> {
    await migrate(pool, 'outbox', MIGRATIONS);
    return new PgOutbox(pool, options.release ?? noRelease, options.now ?? (() => new Date()));
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
    const limit = outboxLimit(filter);
    const result = await this.pool.query<PgOutboxRow>(
      `SELECT channel, recipient, sender, subject, text, idempotency_key, created_at FROM outbox
       WHERE ($1::text IS NULL OR recipient = $1)
       ORDER BY created_at DESC, id DESC
       LIMIT $2`,
      [filter.to ?? null, limit],
    );
    return result.rows.map((row) => toMessage({ ...row, created_at: row.created_at.toISOString() }));
  }

  async close(): Promise<void> {
    await this.release();
  }

  private async insert(message: OutboxRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO outbox (channel, recipient, sender, subject, text, idempotency_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        message.channel,
        message.to,
        message.sender,
        message.subject,
        message.text,
        message.idempotencyKey,
        this.now(),
      ],
    );
  }
}
