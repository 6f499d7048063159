import type { EventLog } from '../../events/ports/event-log.port';
import { FILING_STREAM_PREFIX } from '../../events/filing/stream-ids';
import type { ProjectionWriter } from './projection-writer';
import type { ProjectionName, ReadModelStore } from './read-model.store';
import type { ProjectionDiff, ShadowTables } from './shadow-tables';

export interface RebuildProgress {
  projection: ProjectionName;
  /** Log position reached. */
  position: number;
  /** The log's head when last looked at. */
  head: number;
  /** Filing events read so far. */
  events: number;
}

export interface RebuildOptions {
  eventLog: EventLog;
  store: ReadModelStore;
  name: ProjectionName;
  /** Events per read and per transaction; default 2,000. */
  batchSize?: number;
  onProgress?(progress: RebuildProgress): void;
}

export interface RebuildOutcome {
  projection: ProjectionName;
  events: number;
  /** The checkpoint the rebuilt tables went live (or were compared) at. */
  checkpoint: number;
}

export type VerifyOutcome = RebuildOutcome & ProjectionDiff;

const DEFAULT_BATCH_SIZE = 2_000;
const MAX_FINAL_ATTEMPTS = 50;
/** Differing rows printed per table and side. */
const DIFF_SAMPLE = 20;

/** Reads the log after the writer's checkpoint into it, batch by batch, until the head. */
async function fill(
  writer: ProjectionWriter,
  options: RebuildOptions,
  counted: { events: number },
): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (;;) {
    const head = await options.eventLog.headPosition();
    const from = writer.checkpoint();
    const events = await options.eventLog.readAll({
      fromPosition: from,
      streamPrefix: FILING_STREAM_PREFIX,
      maxCount: batchSize,
    });
    writer.applyBatch(events);
    counted.events += events.length;
    const last = events[events.length - 1]?.position ?? from;
    if (events.length < batchSize) {
      // Everything up to `head` (read before this batch) has been seen: skip the other streams' tail.
      writer.advanceCheckpoint(Math.max(head, last));
      options.onProgress?.({
        projection: options.name,
        position: Math.max(head, last),
        head,
        events: counted.events,
      });
      return;
    }
    options.onProgress?.({
      projection: options.name,
      position: last,
      head: Math.max(head, last),
      events: counted.events,
    });
  }
}

/**
 * Brings `writers` to one common position C of the log and runs `work` in the same transaction, so
 * nobody (a projector in another process) moves the live tables between the catch-up and `work`.
 */
async function atCommonPosition<T>(
  writers: readonly ProjectionWriter[],
  /** Writers that must not be past the common position (they are not written here). */
  watched: readonly ProjectionWriter[],
  options: RebuildOptions,
  counted: { events: number },
  work: (position: number) => T,
): Promise<T> {
  for (let attempt = 1; attempt <= MAX_FINAL_ATTEMPTS; attempt += 1) {
    const from = Math.min(...writers.map((writer) => writer.checkpoint()));
    const head = await options.eventLog.headPosition();
    const tail = await options.eventLog.readAll({ fromPosition: from, streamPrefix: FILING_STREAM_PREFIX });
    const common = Math.max(head, tail[tail.length - 1]?.position ?? from);
    const outcome = options.store.inTransaction((): { done: true; value: T } | { done: false } => {
      // A projector elsewhere got past what was read: read again.
      if ([...writers, ...watched].some((writer) => writer.checkpoint() > common)) return { done: false };
      for (const writer of writers) {
        writer.applyBatch(tail);
        writer.advanceCheckpoint(common);
      }
      return { done: true, value: work(common) };
    });
    counted.events += tail.length;
    if (outcome.done) return outcome.value;
  }
  throw new Error(`projection ${options.name}: the log kept moving; could not reach a common position`);
}

async function withShadow<T>(options: RebuildOptions, use: (shadow: ShadowTables) => Promise<T>): Promise<T> {
  const shadow = options.store.openShadow(options.name);
  try {
    return await use(shadow);
  } finally {
    shadow.discard();
  }
}

/**
 * Rebuilds a projection from position 0 into shadow tables and swaps them in atomically; the live
 * tables serve reads until the swap. A projector running meanwhile (here or in another process)
 * carries on from the rebuilt checkpoint.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildOutcome> {
  return withShadow(options, async (shadow) => {
    const counted = { events: 0 };
    await fill(shadow.writer, options, counted);
    const live = options.store.liveWriter(options.name);
    // The swap must not move the live checkpoint back past what a running projector has applied.
    const checkpoint = await atCommonPosition([shadow.writer], [live], options, counted, (position) => {
      shadow.swapIn();
      return position;
    });
    return { projection: options.name, events: counted.events, checkpoint };
  });
}

/**
 * Rebuilds a projection into shadow tables and compares them row by row with the live ones at the
 * same log position (catching the live tables up first, as the projector would); nothing is swapped.
 */
export async function verifyProjection(options: RebuildOptions): Promise<VerifyOutcome> {
  return withShadow(options, async (shadow) => {
    const counted = { events: 0 };
    await fill(shadow.writer, options, counted);
    const live = options.store.liveWriter(options.name);
    await fill(live, { ...options, onProgress: undefined }, { events: 0 });
    return atCommonPosition([shadow.writer, live], [], options, counted, (position) => ({
      ...shadow.diff(DIFF_SAMPLE),
      events: counted.events,
      checkpoint: position,
    }));
  });
}
