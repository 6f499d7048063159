import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export const DEFAULT_OUTBOX_LIMIT = 100;

/** What the outbox stores of a message; the activities' notification port is this shape. */
export interface OutgoingSms {
  to: string;
  sender: string;
  text: string;
  idempotencyKey: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
}

interface Sent {
  to: string;
  idempotencyKey: string;
  /** When the outbox stored it (ISO 8601). */
  createdAt: string;
}

export type OutboxMessage =
  | (Sent & { channel: 'sms'; sender: string; text: string })
  | (Sent & { channel: 'email'; subject: string; text: string });

export interface OutboxFilter {
  to?: string;
  /** Most recent messages to return; defaults to DEFAULT_OUTBOX_LIMIT. */
  limit?: number;
}

/** A message as a backend writes it (one row). */
export interface OutboxRecord {
  channel: 'sms' | 'email';
  to: string;
  sender: string | null;
  subject: string | null;
  text: string;
  idempotencyKey: string;
}

/** The SMS gateway and mail server ports of an outbox, whatever it stores into. */
export interface Outbox {
  readonly sms: { send(message: OutgoingSms): Promise<void> };
  readonly email: { send(message: OutgoingEmail): Promise<void> };
  /** Most recent first. */
  list(filter?: OutboxFilter): Promise<OutboxMessage[]>;
  close(): Promise<void>;
}

export interface OutboxRow {
  channel: 'sms' | 'email';
  recipient: string;
  sender: string | null;
  subject: string | null;
  text: string;
  idempotency_key: string;
  created_at: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient TEXT NOT NULL,
    sender TEXT,
    subject TEXT,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outbox_by_recipient ON outbox (recipient, created_at);
`;

export function outboxFile(dataDir: string): string {
  return join(dataDir, 'outbox.sqlite');
}

/**
 * The embedded SMS gateway and mail server: every message "sent" is a row in `<dataDir>/outbox.sqlite`.
 *
 * It is a development and test stand-in, and it holds the clear text of what was sent, 12381
 * verification codes included: reading the outbox (`icp outbox`) is how a developer or a test gets
 * the code a phone would have received. That makes it the only place a code may exist in clear;
 * a deployment wires the real gateway's adapters into the ports instead and has no outbox.
 */
export class SqliteOutbox implements Outbox {
  readonly sms = { send: async (message: OutgoingSms): Promise<void> => this.insert(smsRecord(message)) };
  readonly email = {
    send: async (message: OutgoingEmail): Promise<void> => this.insert(emailRecord(message)),
  };
  private readonly db: Database.Database;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /** The same list, synchronously (tests reading a file they opened). */
  listOutbox(filter: OutboxFilter = {}): OutboxMessage[] {
    return selectMessages(this.db, filter);
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
    return this.listOutbox(filter);
  }

  /** Closes the file at once (before the promise settles). */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** A retry with a key already stored keeps the first message, as a gateway's idempotency key does. */
  private insert(message: OutboxRecord): void {
    this.db
      .prepare(
        `INSERT INTO outbox (channel, recipient, sender, subject, text, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING`,
      )
      .run(
        message.channel,
        message.to,
        message.sender,
        message.subject,
        message.text,
        message.idempotencyKey,
        this.now().toISOString(),
      );
  }
}

export function openOutbox(dataDir: string, now?: () => Date): SqliteOutbox {
  return new SqliteOutbox(outboxFile(dataDir), now);
}

/** Reads `<dataDir>/outbox.sqlite` without creating it: no file means nothing was sent. */
export function readOutbox(dataDir: string, filter: OutboxFilter = {}): OutboxMessage[] {
  const file = outboxFile(dataDir);
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'`).get();
    return table ? selectMessages(db, filter) : [];
  } finally {
    db.close();
  }
}

function selectMessages(db: Database.Database, filter: OutboxFilter): OutboxMessage[] {
  const limit = outboxLimit(filter);
  const rows = db
    .prepare(
      `SELECT channel, recipient, sender, subject, text, idempotency_key, created_at FROM outbox
       WHERE (@to IS NULL OR recipient = @to)
       ORDER BY created_at DESC, id DESC
       LIMIT @limit`,
    )
    .all({ to: filter.to ?? null, limit }) as OutboxRow[];
  return rows.map(toMessage);
}

/** The filter's limit, checked: a positive integer, DEFAULT_OUTBOX_LIMIT if absent. */
export function outboxLimit(filter: OutboxFilter): number {
  const limit = filter.limit ?? DEFAULT_OUTBOX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('outbox limit must be a positive integer');
  return limit;
}

/** An SMS as stored, after checking the fields a gateway requires. */
export function smsRecord(message: OutgoingSms): OutboxRecord {
  requireFields('sms', { to: message.to, sender: message.sender, idempotencyKey: message.idempotencyKey });
  return { channel: 'sms', subject: null, ...message };
}

/** An e-mail as stored, after checking the fields a mail server requires. */
export function emailRecord(message: OutgoingEmail): OutboxRecord {
  requireFields('email', { to: message.to, idempotencyKey: message.idempotencyKey });
  return { channel: 'email', sender: null, ...message };
}

export function toMessage(row: OutboxRow): OutboxMessage {
  const sent = { to: row.recipient, idempotencyKey: row.idempotency_key, createdAt: row.created_at };
  return row.channel === 'sms'
    ? { channel: 'sms', sender: row.sender ?? '', text: row.text, ...sent }
    : { channel: 'email', subject: row.subject ?? '', text: row.text, ...sent };
}

/** Names the empty field only: the message text may hold a verification code. */
function requireFields(channel: string, fields: Record<string, string>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`${channel} message: ${name} is empty`);
  }
}
