import { Client } from 'pg';
import type { ProjectionLease } from '../../events/ports/projection-lease.port';
import { redactDatabaseUrl } from './database-url';

export interface PgAdvisoryLeaseOptions {
  /** The lock's name; every process asking for the same name on one database competes for it. */
  name: string;
  /** How often the held lock's connection is checked, so a silently dropped one is noticed; default 2 s. */
  heartbeatMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 2_000;

/**
 * A session-level PostgreSQL advisory lock (`pg_try_advisory_lock`) on a connection of its own, not
 * one of the pool's: the lock lives exactly as long as that connection, so a holder that dies (or
 * whose connection is terminated) frees it, and the holder learns of the loss from the connection's
 * end, or from the next heartbeat when the network drops without a word. A holder gone silent loses
 * the lock server-side only after `idle_session_timeout` (≥ 30 s), long after its heartbeat failed
 * (≤ heartbeat + query timeout) and it stopped writing.
 */
export class PgAdvisoryLease implements ProjectionLease {
  readonly description: string;
  private client?: Client;
  private held = false;
  private heartbeat?: NodeJS.Timeout;
  private readonly listeners: Array<(error: Error) => void> = [];
  private readonly heartbeatMs: number;

  constructor(
    private readonly url: string,
    private readonly options: PgAdvisoryLeaseOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.description = `PostgreSQL advisory lock "${options.name}" on ${redactDatabaseUrl(url)}`;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const client = this.client ?? (await this.connect());
    let result;
    try {
      result = await client.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired',
        [this.options.name],
      );
    } catch (error) {
      // A connection that failed a query is not trusted again: the next attempt opens another.
      if (this.client === client) await this.release();
      throw error;
    }
    this.held = result.rows[0]?.acquired === true && this.client === client;
    if (this.held) this.startHeartbeat(client);
    return this.held;
  }

  onLost(listener: (error: Error) => void): void {
    this.listeners.push(listener);
  }

  async release(): Promise<void> {
    const client = this.client;
    this.forget();
    // Ending the session releases its advisory locks.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.url,
      application_name: `icp-lease:${this.options.name}`,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: Math.max(this.heartbeatMs * 2, 5_000),
    });
    const closed = (error?: Error): void => {
      if (this.client === client) this.lose(error ?? new Error('the connection closed'));
    };
    client.on('error', closed);
    client.on('end', () => closed());
    await client.connect();
    // Server side, a holder gone silent (network cut, host frozen) is cut off after this long, freeing
    // the lock; its own heartbeat has made it stop well before. PostgreSQL < 14 lacks the setting.
    await client.query(`SET idle_session_timeout = ${this.serverIdleTimeoutMs()}`).catch(() => undefined);
    this.client = client;
    return client;
  }

  private serverIdleTimeoutMs(): number {
    return Math.max(this.heartbeatMs * 15, 30_000);
  }

  private startHeartbeat(client: Client): void {
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: Error) => {
        if (this.client !== client) return;
        this.lose(error);
        void client.end().catch(() => undefined);
      });
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private lose(cause: Error): void {
    const wasHeld = this.held;
    this.forget();
    if (!wasHeld) return;
    const error = new Error(`${this.description} lost: ${cause.message.split('\n')[0]}`);
    for (const listener of this.listeners) listener(error);
  }

  private forget(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.held = false;
    this.client = undefined;
  }
}
