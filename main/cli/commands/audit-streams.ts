import type { ChainHasher } from '../../../events/ids';
import type { EventLog, RecordedEvent } from '../../../events/ports/event-log.port';
import type { ProgressBar } from '../progress-bar';

/**
 * Streams read at once, chosen from `npm run bench audit` (1, 2, 4, 8 on SQLite: 8 fastest, 2.2× the
 * rate of 1 in bench/PROFILE.md's run); EventStoreDB and PostgreSQL overlap the round trips too, and 8
 * histories in flight is little memory.
 */
export const DEFAULT_READ_CONCURRENCY = 8;

/** What `verify` audits streams with: the log, how a read reports failure, how many reads at once. */
export interface StreamAuditContext {
  readonly eventLog: EventLog;
  /** Wraps each read so an unreadable log ends the command with one line (exit 2). */
  readonly read: <T>(work: () => Promise<T>) => Promise<T>;
  readonly concurrency: number;
  /** The chain's digests; undefined = the auditor's node:crypto one. */
  readonly hasher?: ChainHasher;
}

/**
 * Reads and audits each stream, `concurrency` at a time, with a progress bar; returns each stream's
 * findings in list order (only the findings are kept, so a large log is audited in little memory).
 */
export async function auditStreams<S extends { streamId: string }, F>(
  context: StreamAuditContext,
  streams: readonly S[],
  audit: (stream: S, recorded: RecordedEvent[]) => F[],
  progress: ProgressBar,
): Promise<F[][]> {
  const { eventLog, read } = context;
  const found: F[][] = [];
  let next = 0;
  let done = 0;
  let events = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < streams.length; index = next++) {
      const stream = streams[index] as S;
      const recorded = await read(() => eventLog.readStream(stream.streamId));
      found[index] = audit(stream, recorded);
      done += 1;
      events += recorded.length;
      if (done % 10 === 0 || done === streams.length)
        progress.update({ position: done, head: streams.length, events });
    }
  };
  const readers = Math.max(1, Math.min(context.concurrency, streams.length));
  await Promise.all(Array.from({ length: readers }, worker));
  progress.finish();
  return found;
}
