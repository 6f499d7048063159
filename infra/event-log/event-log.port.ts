/**
 * The event log every transition is appended to. Issue #4 grows this port (append with expected
 * revision, read stream, read all, subscribe); the foundation only needs connectivity.
 */
export interface EventLog {
  /** A public description of the backend, free of credentials. */
  readonly description: string;
  /** Resolves when the log can be read and written; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
