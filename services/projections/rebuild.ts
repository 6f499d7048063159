import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import type {
  ProjectionDiff,
  ProjectionName,
  ProjectionRebuild,
  ProjectionStore,
  ProjectionTarget,
} from '../../events/ports/read-models.port';

export interface RebuildProgress {
  projection: ProjectionName;
  /** Log position reached. */
  position: number;
  /** The log's head when last looked at. */
  head: number;
  /** Events read so far. */
  events: number;
}

export interface RebuildOptions {
  eventLog: EventLog;
  store: ProjectionStore;
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

/** Reads the log after the target's checkpoint into it, batch by batch, until the head. */
async function fill(
  target: ProjectionTarget,
  options: RebuildOptions,
  counted: { events: number },
): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (;;) {
    const head = await options.eventLog.headPosition();
    const from = await target.checkpoint();
    const events = await options.eventLog.readAll({
      fromPosition: from,
      maxCount: batchSize,
    });
    await target.applyBatch(events);
    counted.events += events.length;
    const last = events[events.length - 1]?.position ?? from;
    if (events.length < batchSize) {
      // Everything up to `head` (read before this batch) has been seen: skip the other streams' tail.
      await target.advanceCheckpoint(Math.max(head, last));
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
 * Reads the log from the lowest checkpoint of `targets` to a common position C and has `finish`
 * bring the rebuild to C and end it there in one transaction; reads again while a projector
 * elsewhere keeps getting past what was read (`finish` answers undefined).
 */
async function atCommonPosition<T>(
  targets: readonly ProjectionTarget[],
  options: RebuildOptions,
  counted: { events: number },
  finish: (tail: readonly RecordedEvent[], position: number) => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 1; attempt <= MAX_FINAL_ATTEMPTS; attempt += 1) {
    const from = Math.min(...(await Promise.all(targets.map((target) => target.checkpoint()))));
    const head = await options.eventLog.headPosition();
    const tail = await options.eventLog.readAll({ fromPosition: from });
    const common = Math.max(head, tail[tail.length - 1]?.position ?? from);
    const outcome = await finish(tail, common);
    counted.events += tail.length;
    if (outcome !== undefined) return outcome;
  }
  throw new Error(`projection ${options.name}: the log kept moving; could not reach a common position`);
}

async function withRebuild<T>(
  options: RebuildOptions,
  use: (rebuild: ProjectionRebuild) => Promise<T>,
): Promise<T> {
  const rebuild = await options.store.openRebuild(options.name);
  try {
    return await use(rebuild);
  } finally {
    await rebuild.discard();
  }
}

/**
 * Rebuilds a projection from position 0 into shadow tables and swaps them in atomically; the live
 * tables serve reads until the swap. A projector running meanwhile (here or in another process)
 * carries on from the rebuilt checkpoint.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildOutcome> {
  return withRebuild(options, async (rebuild) => {
    const counted = { events: 0 };
    await fill(rebuild.target, options, counted);
    // The swap must not move the live checkpoint back past what a running projector has applied.
    const checkpoint = await atCommonPosition([rebuild.target], options, counted, async (tail, position) =>
      (await rebuild.swapInAt(tail, position)) ? position : undefined,
    );
    return { projection: options.name, events: counted.events, checkpoint };
  });
}

/**
 * Rebuilds a projection into shadow tables and compares them row by row with the live ones at the
 * same log position (catching the live tables up first, as the projector would); nothing is swapped.
 */
export async function verifyProjection(options: RebuildOptions): Promise<VerifyOutcome> {
  return withRebuild(options, async (rebuild) => {
    const counted = { events: 0 };
    await fill(rebuild.target, options, counted);
    const live = options.store.live(options.name);
    await fill(live, { ...options, onProgress: undefined }, { events: 0 });
    return atCommonPosition([rebuild.target, live], options, counted, async (tail, position) => {
      const diff = await rebuild.compareAt(tail, position, DIFF_SAMPLE);
      return diff && { ...diff, events: counted.events, checkpoint: position };
    });
  });
}
