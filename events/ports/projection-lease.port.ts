/**
 * Who may apply events to the shared read models when several projectors run against one database:
 * the holder of the lease; the others stand by and try again. Held on a connection of its own, so a
 * holder that dies frees it with its connection.
 */
export interface ProjectionLease {
  /** What the lease is and where it is held, free of credentials. */
  readonly description: string;
  /**
   * true: this process holds the lease now (until `release` or loss); false: another holds it.
   * Rejects when the lease's database cannot be reached (try again later).
   */
  tryAcquire(): Promise<boolean>;
  /** `listener` is called each time a held lease is lost (its connection closed): stop writing at once. */
  onLost(listener: (error: Error) => void): void;
  /** Gives the lease up and closes its connection; safe to call when not held or twice. */
  release(): Promise<void>;
}
