import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FilingEnvelope } from '../events/filing/filing-events';
import type { EventToAppend, Json } from '../events/ports/event-log.port';
import { INSERT_EVENT_SQL } from '../infra/event-log/sqlite/event-rows';
import { configureConnection, migrateSchema } from '../infra/event-log/sqlite/schema';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { filingHistories } from '../test/support/filing-histories';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { rate, ratio, summarize } from './lib/stats';

/**
 * Appending realistic filing events through `SqliteEventLog` (the embedded event log) against raw
 * better-sqlite3 inserts of the same rows into the same schema with the same pragmas (WAL,
 * synchronous = FULL: one fsync per commit), one event per append and ten per append.
 */
const NAME = 'append';
/** Rounds alternate between the two sides, so bursts of disk contention from other work fall on both. */
const ROUNDS = 10;

interface Append {
  streamId: string;
  expectedRevision: number | 'no_stream';
  events: EventToAppend[];
}

interface Side {
  latencies: number[];
  elapsedMs: number;
  events: number;
}

const toEvent = (envelope: FilingEnvelope): EventToAppend => ({
  id: envelope.id,
  type: envelope.type,
  data: envelope.data as unknown as Json,
  metadata: envelope.metadata as unknown as Json,
});

/** Realistic appends: every event of generated filings, one per append, or the first ten of a stream. */
function buildAppends(seed: number, wanted: number, perAppend: 1 | 10): Append[] {
  const appends: Append[] = [];
  for (const filing of filingHistories({ count: Number.MAX_SAFE_INTEGER, seed })) {
    if (perAppend === 1) {
      for (const envelope of filing.envelopes) {
        const seq = envelope.metadata.seq;
        appends.push({
          streamId: filing.streamId,
          expectedRevision: seq === 0 ? 'no_stream' : seq - 1,
          events: [toEvent(envelope)],
        });
      }
    } else if (filing.envelopes.length >= 10) {
      appends.push({
        streamId: filing.streamId,
        expectedRevision: 'no_stream',
        events: filing.envelopes.slice(0, 10).map(toEvent),
      });
    }
    if (appends.length >= wanted) return appends.slice(0, wanted);
  }
  return appends;
}

function openRaw(file: string) {
  const db = new Database(file);
  configureConnection(db, 5_000);
  migrateSchema(db, file);
  const insert = db.prepare(INSERT_EVENT_SQL);
  const insertAll = db.transaction((append: Append) => {
    const first = append.expectedRevision === 'no_stream' ? 0 : append.expectedRevision + 1;
    const recordedAt = new Date().toISOString();
    append.events.forEach((event, index) =>
      insert.run({
        stream_id: append.streamId,
        revision: first + index,
        id: event.id,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        recorded_at: recordedAt,
      }),
    );
  });
  return { append: (append: Append) => insertAll(append), close: () => db.close() };
}

async function measure(
  appends: readonly Append[],
  perAppend: number,
  dir: string,
): Promise<{ ours: Side; raw: Side }> {
  const ours = new SqliteEventLog(join(dir, `ours-${perAppend}.sqlite`));
  const raw = openRaw(join(dir, `raw-${perAppend}.sqlite`));
  const sides = {
    ours: { latencies: [] as number[], elapsedMs: 0, events: 0 },
    raw: { latencies: [] as number[], elapsedMs: 0, events: 0 },
  };
  const runOurs = async (chunk: readonly Append[]): Promise<void> => {
    const started = performance.now();
    for (const append of chunk) {
      const t = performance.now();
      await ours.appendToStream(append.streamId, append.events, {
        expectedRevision: append.expectedRevision,
      });
      sides.ours.latencies.push(performance.now() - t);
      sides.ours.events += append.events.length;
    }
    sides.ours.elapsedMs += performance.now() - started;
  };
  const runRaw = async (chunk: readonly Append[]): Promise<void> => {
    const started = performance.now();
    for (const append of chunk) {
      const t = performance.now();
      raw.append(append);
      sides.raw.latencies.push(performance.now() - t);
      sides.raw.events += append.events.length;
      // The same shape of loop as the log's: one await per append.
      await Promise.resolve();
    }
    sides.raw.elapsedMs += performance.now() - started;
  };
  try {
    // Warm up both (JIT, page cache, the files' first pages), then alternate rounds to share the noise.
    const warmup = Math.min(50, Math.floor(appends.length / 10));
    await runOurs(appends.slice(0, warmup));
    await runRaw(appends.slice(0, warmup));
    Object.assign(sides.ours, { latencies: [], elapsedMs: 0, events: 0 });
    Object.assign(sides.raw, { latencies: [], elapsedMs: 0, events: 0 });
    const rest = appends.slice(warmup);
    const chunk = Math.ceil(rest.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      const part = rest.slice(round * chunk, (round + 1) * chunk);
      if (round % 2 === 0) {
        await runOurs(part);
        await runRaw(part);
      } else {
        await runRaw(part);
        await runOurs(part);
      }
    }
  } finally {
    await ours.close();
    raw.close();
  }
  return sides;
}

function figures(sides: { ours: Side; raw: Side }) {
  const ours = rate(sides.ours.events, sides.ours.elapsedMs);
  const raw = rate(sides.raw.events, sides.raw.elapsedMs);
  return {
    appends: sides.ours.latencies.length,
    events: sides.ours.events,
    oursEventsPerS: ours,
    rawEventsPerS: raw,
    ratio: ratio(ours, raw),
    oursLatencyMs: summarize(sides.ours.latencies),
    rawLatencyMs: summarize(sides.raw.latencies),
    // The mean rate follows the slowest fsyncs, which the machine's other work makes noisy; the
    // median append is steadier.
    ratioAtP50: ratio(summarize(sides.raw.latencies).p50, summarize(sides.ours.latencies).p50),
  };
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'icp-bench-append-'));
  try {
    const singleCount = size(args, 10_000, 2_000);
    const batchCount = size(args, 2_000, 400);
    log(NAME, `generating ${singleCount} single appends and ${batchCount} appends of 10 events`);
    const singles = buildAppends(101, singleCount, 1);
    const batches = buildAppends(102, batchCount, 10);
    log(NAME, 'single appends (one event per commit)');
    const single = figures(await profiled(args, NAME, 'single', () => measure(singles, 1, dir)));
    log(NAME, `  ours ${single.oursEventsPerS} events/s, raw ${single.rawEventsPerS} events/s`);
    log(NAME, 'appends of 10 events (one commit each)');
    const batch10 = figures(await profiled(args, NAME, 'batch10', () => measure(batches, 10, dir)));
    log(NAME, `  ours ${batch10.oursEventsPerS} events/s, raw ${batch10.rawEventsPerS} events/s`);
    emitResult(NAME, args, started, { single, batch10 }, [
      'ours: SqliteEventLog.appendToStream (validation, expected-revision check, id check, insert, commit)',
      'raw: better-sqlite3 INSERT of the same rows (JSON.stringify included) into the same schema, same pragmas (WAL, synchronous=FULL), one transaction per append',
      'ratio = ours / raw events per second, measured in the same run, alternating rounds; ratioAtP50 = raw p50 / ours p50 append latency (steadier: the rates follow the slowest fsyncs)',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
