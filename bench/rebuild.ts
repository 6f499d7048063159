import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FILING_STREAM_PREFIX } from '../events/filing/stream-ids';
import { prepareStatements } from '../infra/event-log/sqlite/event-rows';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { PROJECTION_NAMES } from '../events/ports/read-models.port';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { SqliteReadModelStore } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { readModelProjections } from '../services/projections/read-model-projections';
import { DEFAULT_REBUILD_BATCH_SIZE, rebuildProjections } from '../services/projections/rebuild';
import type { ProjectionName } from '../events/ports/read-models.port';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { seededLog } from './lib/seeded-log';
import { rate, ratio } from './lib/stats';

/**
 * `icp projections rebuild` from position 0 over a seeded log of ≥ 1,000,000 filing events (quick:
 * 100,000): every projection in one pass over the log (at several batch sizes), and each projection
 * alone, each into a fresh read database, against a raw sequential read of the same rows with
 * better-sqlite3 (same columns, same batch size, no parsing) measured in the same run.
 */
const NAME = 'rebuild';
/** The raw read's batch. */
const BATCH_SIZE = 2_000;
/** Batch sizes the one-pass rebuild of every projection is measured at. */
const BATCH_SIZES = [500, 2_000, 5_000, 10_000] as const;

interface Timed {
  events: number;
  elapsedMs: number;
  eventsPerS: number;
  /** The raw read measured just before it: the load on this shared machine moves within a run. */
  rawEventsPerS: number;
  ratio: number;
}

/** Reads every row in position order, in batches like the rebuild's, touching each row. */
function rawSequentialRead(file: string): { rows: number; elapsedMs: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { readAll } = prepareStatements(db);
    const started = performance.now();
    let rows = 0;
    let bytes = 0;
    for (let from = 0; ;) {
      const page = readAll.all({
        from,
        upTo: Number.MAX_SAFE_INTEGER,
        prefix: FILING_STREAM_PREFIX,
        limit: BATCH_SIZE,
      });
      for (const row of page) bytes += row.data.length + row.metadata.length;
      rows += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < BATCH_SIZE) break;
      from = last.position;
    }
    if (bytes === 0 && rows > 0) throw new Error('read nothing');
    return { rows, elapsedMs: performance.now() - started };
  } finally {
    db.close();
  }
}

/** The same batches through the event log's port (`readAll`: rows → RecordedEvent, JSON parsed). */
async function portSequentialRead(eventLog: SqliteEventLog): Promise<{ rows: number; elapsedMs: number }> {
  const started = performance.now();
  let rows = 0;
  for (let from = 0; ;) {
    const page = await eventLog.readAll({
      fromPosition: from,
      streamPrefix: FILING_STREAM_PREFIX,
      maxCount: BATCH_SIZE,
    });
    rows += page.length;
    const last = page[page.length - 1];
    if (!last || page.length < BATCH_SIZE) break;
    from = last.position;
  }
  return { rows, elapsedMs: performance.now() - started };
}

/**
 * Reads the log raw, then rebuilds `names` in one pass into a fresh read database under `dir`: the
 * log's events per second of each, and their ratio.
 */
async function timedRebuild(
  args: ReturnType<typeof parseBenchArgs>,
  seeded: { file: string; events: number },
  eventLog: SqliteEventLog,
  dir: string,
  run: { names: readonly ProjectionName[]; batchSize: number; round: number },
): Promise<Timed> {
  const label = run.names.length === 1 ? run.names[0] : `all-${run.batchSize}`;
  const raw = rawSequentialRead(seeded.file);
  const rawEventsPerS = rate(raw.rows, raw.elapsedMs);
  const projectRows = readModelProjections(loadChineseCalendar());
  const store = SqliteReadModelStore.open(join(dir, `${label}-${run.round}`), projectRows);
  try {
    const started = performance.now();
    const [outcome] = await profiled(args, NAME, `rebuild-${label}-${run.round}`, () =>
      rebuildProjections({ eventLog, store, names: run.names, batchSize: run.batchSize }),
    );
    const elapsedMs = performance.now() - started;
    const events = outcome?.events ?? 0;
    const eventsPerS = rate(events, elapsedMs);
    const timed = { events, elapsedMs: Math.round(elapsedMs), eventsPerS, rawEventsPerS };
    log(
      NAME,
      `  ${label}: ${events} events in ${(elapsedMs / 1000).toFixed(1)} s (${eventsPerS} events/s; raw ${rawEventsPerS})`,
    );
    return { ...timed, ratio: ratio(eventsPerS, rawEventsPerS) };
  } finally {
    await store.close();
  }
}

/** The mean of two rounds' figures. */
function meanOf(rounds: readonly Timed[]): Timed {
  const mean = (pick: (timed: Timed) => number) =>
    rounds.reduce((sum, timed) => sum + pick(timed), 0) / Math.max(1, rounds.length);
  return {
    events: rounds[0]?.events ?? 0,
    elapsedMs: Math.round(mean((timed) => timed.elapsedMs)),
    eventsPerS: Math.round(mean((timed) => timed.eventsPerS)),
    rawEventsPerS: Math.round(mean((timed) => timed.rawEventsPerS)),
    ratio: Number(mean((timed) => timed.ratio).toFixed(3)),
  };
}

/** Every batch size in two rounds (the second in reverse order), then each projection alone. */
async function measureRebuilds(
  args: ReturnType<typeof parseBenchArgs>,
  seeded: { file: string; events: number },
  eventLog: SqliteEventLog,
  dir: string,
) {
  const rounds = new Map<number, Timed[]>(BATCH_SIZES.map((batchSize) => [batchSize, []]));
  for (const [round, order] of [[...BATCH_SIZES], [...BATCH_SIZES].reverse()].entries()) {
    for (const batchSize of order) {
      const timed = await timedRebuild(args, seeded, eventLog, dir, {
        names: PROJECTION_NAMES,
        batchSize,
        round,
      });
      rounds.get(batchSize)?.push(timed);
    }
  }
  const all = Object.fromEntries([...rounds].map(([batchSize, timed]) => [batchSize, meanOf(timed)]));
  const projections: Record<string, Timed> = {};
  for (const name of PROJECTION_NAMES) {
    const run = { names: [name], batchSize: DEFAULT_REBUILD_BATCH_SIZE, round: 0 };
    projections[name] = await timedRebuild(args, seeded, eventLog, dir, run);
  }
  return { all, projections };
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const minEvents = size(args, 1_000_000, 100_000);
  const seeded = await seededLog({ minEvents }, (line) => log(NAME, line));
  log(
    NAME,
    `log: ${seeded.filings.toLocaleString('en-US')} filings, ${seeded.events.toLocaleString('en-US')} events`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'icp-bench-rebuild-'));
  const eventLog = new SqliteEventLog(seeded.file);
  try {
    // Warm the page cache for both sides, then measure the raw read before and after the rebuilds.
    rawSequentialRead(seeded.file);
    const rawBefore = rawSequentialRead(seeded.file);
    const port = await profiled(args, NAME, 'port-read', () => portSequentialRead(eventLog));
    const { all, projections } = await measureRebuilds(args, seeded, eventLog, dir);
    const rawAfter = await profiled(args, NAME, 'raw-read', async () => rawSequentialRead(seeded.file));
    const rawPerS = rate(seeded.events, (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2);
    const oneByOneMs = Object.values(projections).reduce((sum, timed) => sum + timed.elapsedMs, 0);
    const oneByOneRaw = meanOf(Object.values(projections)).rawEventsPerS;
    const portPerS = rate(port.rows, port.elapsedMs);
    const headline = all[DEFAULT_REBUILD_BATCH_SIZE];
    const figures = {
      filings: seeded.filings,
      events: seeded.events,
      batchSize: DEFAULT_REBUILD_BATCH_SIZE,
      rebuildAllEventsPerS: headline?.eventsPerS,
      rawReadEventsPerS: headline?.rawEventsPerS,
      ratioAll: headline?.ratio,
      oneByOneAllEventsPerS: rate(seeded.events, oneByOneMs),
      oneByOneRawEventsPerS: oneByOneRaw,
      ratioOneByOne: ratio(rate(seeded.events, oneByOneMs), oneByOneRaw),
      batchSizes: all,
      portReadAllEventsPerS: portPerS,
      rawReadAroundEventsPerS: rawPerS,
      ratioPortRead: ratio(portPerS, rawPerS),
      projections,
    };
    emitResult(NAME, args, started, figures, [
      'rebuildAllEventsPerS: log events / wall time of rebuilding every projection (PROJECTION_NAMES) in one pass over the log at the default batch (DEFAULT_REBUILD_BATCH_SIZE, 5,000), as `icp projections rebuild` does; batchSizes: the same at 500 / 2,000 / 5,000 / 10,000 events per read and transaction',
      'projections: each alone at the default batch; oneByOneAllEventsPerS: the same projections rebuilt one after another, each reading the whole log (`--name` for each; how the command worked before)',
      'rawReadEventsPerS: better-sqlite3 SELECT of the same rows and columns in 2,000-row batches, no JSON parsing, page cache warm, measured just before each rebuild (the load on the shared machine moves within a run); every ratio is against the raw read next to it, batch sizes are the mean of two rounds (the second in reverse order)',
      'portReadAllEventsPerS: the same batches through SqliteEventLog.readAll (rows → RecordedEvent, JSON.parse of data and metadata), against rawReadAroundEventsPerS (the mean of a raw read before and after all rebuilds)',
    ]);
  } finally {
    await eventLog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
