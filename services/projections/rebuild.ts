import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import type {
  ProjectionDiff,
  ProjectionName,
  ProjectionRebuild,
  ProjectionStore,
  ProjectionTarget,
} from '../../events/ports/read-models.port';

export interface RebuildProgress {
  /** The projections the pass feeds. */
  projections: readonly ProjectionName[];
  /** Log position reached. */
  position: number;
  /** The log's head when last looked at. */
  head: number;
  /** Events read so far. */
  events: number;
}

interface PassOptions {
  eventLog: EventLog;
  store: ProjectionStore;
  /** Events per read and per transaction; default DEFAULT_REBUILD_BATCH_SIZE. */
  batchSize?: number;
  onProgress?(progress: RebuildProgress): void;
}

export interface RebuildOptions extends PassOptions {
  name: ProjectionName;
}

/** Several projections rebuilt (or verified) from one read of the log. */
export interface RebuildManyOptions extends PassOptions {
  names: readonly ProjectionName[];
}

export interface RebuildOutcome {
  projection: ProjectionName;
  /** Events read for it: the shared pass over the log and its own final catch-up. */
  events: number;
  /** The checkpoint the rebuilt tables went live (or were compared) at. */
  checkpoint: number;
}

export type VerifyOutcome = RebuildOutcome & ProjectionDiff;

/**
 * Events per read and per transaction. Larger batches write each filing's row fewer times (its ~9
 * events fall into fewer batches); bench/rebuild.ts measures 500–10,000 (bench/PROFILE.md).
 */
export const DEFAULT_REBUILD_BATCH_SIZE = 5_000;
const MAX_FINAL_ATTEMPTS = 50;
/** Differing rows printed per table and side. */
const DIFF_SAMPLE = 20;

/**
 * Reads the log once, from the lowest checkpoint of `targets` to the head, batch by batch, and hands
 * every batch to each target (each skips what it already holds). Answers the events read.
 */
async function fill(
  targets: readonly ProjectionTarget[],
  options: RebuildManyOptions,
  onProgress: PassOptions['onProgress'],
): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH_SIZE;
  const report = (position: number, head: number, events: number) =>
    onProgress?.({ projections: options.names, position, head, events });
  let from = Math.min(...(await Promise.all(targets.map((target) => target.checkpoint()))));
  let read = 0;
  for (;;) {
    const head = await options.eventLog.headPosition();
    const events = await options.eventLog.readAll({ fromPosition: from, maxCount: batchSize });
    await Promise.all(targets.map((target) => target.applyBatch(events)));
    read += events.length;
    const last = events[events.length - 1]?.position ?? from;
    if (events.length < batchSize) {
      // Everything up to `head` (read before this batch) has been seen: skip the other streams' tail.
      const position = Math.max(head, last);
      await Promise.all(targets.map((target) => target.advanceCheckpoint(position)));
      report(position, head, read);
      return read;
    }
    report(last, Math.max(head, last), read);
    from = last;
  }
}

/**
 * Reads the log from the lowest checkpoint of `targets` to a common position C and has `finish`
 * bring the rebuild to C and end it there in one transaction; reads again while a projector
 * elsewhere keeps getting past what was read (`finish` answers undefined). Answers what `finish`
 * did and the events read for it.
 */
async function atCommonPosition<T>(
  targets: readonly ProjectionTarget[],
  options: RebuildManyOptions & { name: ProjectionName },
  finish: (tail: readonly RecordedEvent[], position: number) => Promise<T | undefined>,
): Promise<{ outcome: T; events: number }> {
  let events = 0;
  for (let attempt = 1; attempt <= MAX_FINAL_ATTEMPTS; attempt += 1) {
    const from = Math.min(...(await Promise.all(targets.map((target) => target.checkpoint()))));
    const head = await options.eventLog.headPosition();
    const tail = await options.eventLog.readAll({ fromPosition: from });
    const common = Math.max(head, tail[tail.length - 1]?.position ?? from);
    const outcome = await finish(tail, common);
    events += tail.length;
    if (outcome !== undefined) return { outcome, events };
  }
  throw new Error(`projection ${options.name}: the log kept moving; could not reach a common position`);
}

/** Opens a rebuild of each of `names` (one at a time, as the store locks them), discards them all at the end. */
async function withRebuilds<T>(
  options: RebuildManyOptions,
  use: (rebuilds: readonly ProjectionRebuild[]) => Promise<T>,
): Promise<T> {
  const rebuilds: ProjectionRebuild[] = [];
  try {
    for (const name of options.names) rebuilds.push(await options.store.openRebuild(name));
    return await use(rebuilds);
  } finally {
    for (const rebuild of rebuilds) await rebuild.discard();
  }
}

function nameOf(options: RebuildManyOptions, index: number): ProjectionName {
  const name = options.names[index];
  if (name === undefined) throw new Error(`no projection at ${index}`);
  return name;
}

/**
 * Rebuilds projections from position 0 into shadow tables, all fed by one read of the log, and swaps
 * each in atomically; the live tables serve reads until their swap. A projector running meanwhile
 * (here or in another process) carries on from the rebuilt checkpoint.
 */
export async function rebuildProjections(options: RebuildManyOptions): Promise<RebuildOutcome[]> {
  return withRebuilds(options, async (rebuilds) => {
    const read = await fill(
      rebuilds.map((rebuild) => rebuild.target),
      options,
      options.onProgress,
    );
    const outcomes: RebuildOutcome[] = [];
    for (const [index, rebuild] of rebuilds.entries()) {
      const name = nameOf(options, index);
      // The swap must not move the live checkpoint back past what a running projector has applied.
      const { outcome, events } = await atCommonPosition(
        [rebuild.target],
        { ...options, name },
        async (tail, position) => ((await rebuild.swapInAt(tail, position)) ? position : undefined),
      );
      outcomes.push({ projection: name, events: read + events, checkpoint: outcome });
    }
    return outcomes;
  });
}

/**
 * Rebuilds projections into shadow tables (one read of the log for all) and compares each row by
 * row with its live tables at the same log position (catching the live tables up first, as the
 * projector would); nothing is swapped.
 */
export async function verifyProjections(options: RebuildManyOptions): Promise<VerifyOutcome[]> {
  return withRebuilds(options, async (rebuilds) => {
    const read = await fill(
      rebuilds.map((rebuild) => rebuild.target),
      options,
      options.onProgress,
    );
    const lives = options.names.map((name) => options.store.live(name));
    await fill(lives, options, undefined);
    const outcomes: VerifyOutcome[] = [];
    for (const [index, rebuild] of rebuilds.entries()) {
      const name = nameOf(options, index);
      const live = lives[index] as ProjectionTarget;
      const { outcome, events } = await atCommonPosition(
        [rebuild.target, live],
        { ...options, name },
        async (tail, position) => {
          const diff = await rebuild.compareAt(tail, position, DIFF_SAMPLE);
          return diff && { diff, position };
        },
      );
      outcomes.push({ ...outcome.diff, events: read + events, checkpoint: outcome.position });
    }
    return outcomes;
  });
}

async function onlyOne<T>(outcomes: Promise<T[]>): Promise<T> {
  const [outcome] = await outcomes;
  if (outcome === undefined) throw new Error('no outcome');
  return outcome;
}

/** rebuildProjections of one projection. */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildOutcome> {
  return onlyOne(rebuildProjections({ ...options, names: [options.name] }));
}

/** verifyProjections of one projection. */
export async function verifyProjection(options: RebuildOptions): Promise<VerifyOutcome> {
  return onlyOne(verifyProjections({ ...options, names: [options.name] }));
}
