import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { filingIdOfStream } from '../../events/filing/stream-ids';
import { copyEventRows, streamEndPositions, streamIdsInOrder } from '../../infra/event-log/sqlite/event-rows';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import {
  appendFilingHistories,
  filingHistories,
  type GeneratedFiling,
} from '../../test/support/filing-histories';
import { BENCH_DIR } from './report';

/**
 * Event logs seeded with generated filing histories (`test/support/filing-histories.ts`, through the
 * real domain and the workflow's append activity), cached under `bench/.cache/` keyed by seed and
 * filing count. Generating takes a few milliseconds per filing, so a log is seeded once and reused;
 * a smaller log is cut from a larger one of the same seed (the generator is deterministic, and with one
 * append per filing the log holds the filings in index order).
 */
export const CACHE_DIR = join(BENCH_DIR, '.cache');
export const DEFAULT_SEED = 1;

export interface SeededLog {
  /** The cached SQLite file; open it read-only in spirit, or `copySeededLog` it before writing. */
  file: string;
  seed: number;
  filings: number;
  events: number;
}

interface CacheMeta {
  seed: number;
  filings: number;
  events: number;
  /** Position of the last event of filing i (positions are 1-based and contiguous here). */
  endPositions: number[];
}

const FORMAT = 1;
const cacheFile = (seed: number, filings: number): string =>
  join(CACHE_DIR, `filing-log-v${FORMAT}-seed${seed}-filings${filings}.sqlite`);
const metaFile = (file: string): string => `${file}.json`;

function readMetas(seed: number): CacheMeta[] {
  if (!existsSync(CACHE_DIR)) return [];
  const prefix = `filing-log-v${FORMAT}-seed${seed}-filings`;
  return readdirSync(CACHE_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.sqlite.json'))
    .flatMap((name) => {
      const file = join(CACHE_DIR, name.slice(0, -'.json'.length));
      if (!existsSync(file)) return [];
      try {
        return [JSON.parse(readFileSync(join(CACHE_DIR, name), 'utf8')) as CacheMeta];
      } catch {
        return [];
      }
    });
}

const toSeededLog = (meta: CacheMeta): SeededLog => ({
  file: cacheFile(meta.seed, meta.filings),
  seed: meta.seed,
  filings: meta.filings,
  events: meta.events,
});

/**
 * A cached log of the first `filings` generated filings of `seed`, or — with `minEvents` — of the
 * fewest filings holding at least that many events (and at least `filings`).
 */
export async function seededLog(
  request: { seed?: number; filings?: number; minEvents?: number },
  progress: (line: string) => void,
): Promise<SeededLog> {
  const seed = request.seed ?? DEFAULT_SEED;
  const minFilings = request.filings ?? 1;
  const minEvents = request.minEvents ?? 0;
  const metas = readMetas(seed);
  const covering = metas
    .filter((meta) => meta.filings >= minFilings && meta.events >= minEvents)
    .sort((a, b) => a.filings - b.filings)[0];
  if (!covering) return generate(seed, minFilings, minEvents, progress);

  const byEvents = covering.endPositions.findIndex((end) => end >= minEvents) + 1;
  const filings = Math.max(minFilings, byEvents);
  const exact = metas.find((meta) => meta.filings === filings);
  if (exact) return toSeededLog(exact);
  return await cutPrefix(covering, filings, progress);
}

/** A private copy of a cached log for a benchmark that writes to it. */
export function copySeededLog(log: SeededLog, destination: string): string {
  copyFileSync(log.file, destination);
  return destination;
}

async function generate(
  seed: number,
  minFilings: number,
  minEvents: number,
  progress: (line: string) => void,
): Promise<SeededLog> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = join(CACHE_DIR, `seeding-${process.pid}.sqlite`);
  removeDb(tmp);
  progress(
    `seeding an event log (seed ${seed}, ≥ ${minFilings.toLocaleString('en-US')} filings, ≥ ${minEvents.toLocaleString('en-US')} events) into ${CACHE_DIR}; cached for later runs`,
  );
  const started = performance.now();
  const counted = { filings: 0, events: 0 };
  let lastReport = started;
  function* source(): Generator<GeneratedFiling> {
    for (const filing of filingHistories({ count: Number.MAX_SAFE_INTEGER, seed })) {
      if (counted.filings >= minFilings && counted.events >= minEvents) return;
      counted.filings += 1;
      counted.events += filing.envelopes.length;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        const seconds = (lastReport - started) / 1000;
        progress(
          `  seeded ${counted.filings.toLocaleString('en-US')} filings, ${counted.events.toLocaleString('en-US')} events in ${seconds.toFixed(0)} s (${Math.round(counted.events / seconds)} events/s)`,
        );
      }
      yield filing;
    }
  }
  const log = new SqliteEventLog(tmp);
  try {
    // One append per filing (its whole stream): far fewer commits than one per transition.
    await appendFilingHistories(log, source(), { interleave: false, transitionsPerAppend: Infinity });
  } finally {
    await log.close();
  }
  const meta: CacheMeta = { seed, ...counted, endPositions: endPositions(tmp) };
  if (meta.endPositions.length !== meta.filings || meta.endPositions.at(-1) !== meta.events) {
    throw new Error(`seeded log ${tmp} does not hold the filings in order`);
  }
  const file = cacheFile(seed, meta.filings);
  renameSync(tmp, file);
  writeFileSync(metaFile(file), JSON.stringify(meta));
  progress(
    `  seeded ${meta.filings.toLocaleString('en-US')} filings, ${meta.events.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return toSeededLog(meta);
}

/** The first `filings` filings of a larger cached log of the same seed, row for row. */
async function cutPrefix(
  from: CacheMeta,
  filings: number,
  progress: (line: string) => void,
): Promise<SeededLog> {
  const events = from.endPositions[filings - 1] as number;
  const source = cacheFile(from.seed, from.filings);
  const tmp = join(CACHE_DIR, `cutting-${process.pid}.sqlite`);
  removeDb(tmp);
  progress(`cutting the first ${filings.toLocaleString('en-US')} filings out of ${source}`);
  // The event log creates its schema; the rows are copied as stored (positions, ids, JSON text).
  await new SqliteEventLog(tmp).close();
  const db = new Database(tmp);
  try {
    db.pragma('synchronous = OFF');
    db.prepare('ATTACH DATABASE ? AS source').run(source);
    copyEventRows(db, 'source', events);
    db.exec('DETACH DATABASE source');
  } finally {
    db.close();
  }
  const meta: CacheMeta = {
    seed: from.seed,
    filings,
    events,
    endPositions: from.endPositions.slice(0, filings),
  };
  const file = cacheFile(from.seed, filings);
  renameSync(tmp, file);
  writeFileSync(metaFile(file), JSON.stringify(meta));
  return toSeededLog(meta);
}

function endPositions(file: string): number[] {
  // Read-write, so that closing the last connection removes the -wal and -shm files before the rename.
  const db = new Database(file);
  try {
    return streamEndPositions(db);
  } finally {
    db.close();
  }
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

/** The filing ids of a seeded log, in the order they were generated. */
export function seededFilingIds(log: SeededLog): string[] {
  const db = new Database(log.file, { readonly: true });
  try {
    return streamIdsInOrder(db).flatMap((streamId) => filingIdOfStream(streamId) ?? []);
  } finally {
    db.close();
  }
}
