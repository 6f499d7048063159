import type { EventLog, RecordedEvent } from '../../../events/ports/event-log.port';
import type { ProgressBar } from '../progress-bar';

/** Streams read at once: SQLite answers one at a time anyway, EventStoreDB overlaps the round trips. */
const READ_CONCURRENCY = 8;

/**
 * Reads and audits each stream, a few at a time, with a progress bar; returns each stream's findings
 * in list order (only the findings are kept, so a large log is audited in little memory).
 */
export async function auditStreams<S extends { streamId: string }, F>(
  eventLog: EventLog,
  streams: readonly S[],
  audit: (stream: S, recorded: RecordedEvent[]) => F[],
  read: <T>(work: () => Promise<T>) => Promise<T>,
  progress: ProgressBar,
): Promise<F[][]> {
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
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, streams.length) }, worker));
  progress.finish();
  return found;
}
