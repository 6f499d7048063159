import { Client } from 'pg';
import { APPENDED_CHANNEL } from './pg-event-schema';

type Listener = () => void;

/**
 * LISTENs for appends committed by any host, on a connection of its own (a pooled one would be handed
 * back and the LISTEN lost), while at least one subscription wants to hear. A lost connection is
 * opened again after `reconnectMs`; meanwhile, and for any notification lost, subscriptions poll.
 */
export class PgAppendListener {
  private readonly listeners = new Set<Listener>();
  private client: Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly reconnectMs: number,
  ) {}

  /** Registers a wake-up for every append committed anywhere; returns the unregister function. */
  onAppend(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.disconnect();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.disconnect();
  }

  private connect(): void {
    if (this.closed || this.client) return;
    const client = new Client({
      connectionString: this.url,
      application_name: 'icp-filing event-log listener',
    });
    this.client = client;
    // An error on this idle connection (server restart, network cut) must not crash the process.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', () => this.wakeAll());
    client
      .connect()
      .then(() => client.query(`LISTEN ${APPENDED_CHANNEL}`))
      // Appends committed before LISTEN took effect were not announced: look once.
      .then(() => this.wakeAll())
      .catch(() => this.lost(client));
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.listeners.size === 0 || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      if (this.listeners.size > 0) this.connect();
    }, this.reconnectMs);
    this.reconnect.unref();
  }

  private async disconnect(): Promise<void> {
    clearTimeout(this.reconnect);
    this.reconnect = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
