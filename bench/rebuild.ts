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
import { rebuildProjection } from '../services/projections/rebuild';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { seededLog } from './lib/seeded-log';
import { rate, ratio } from './lib/stats';

/**
 * `rebuildProjection` (what `icp projections rebuild` runs) from position 0 over a seeded log of
 * ≥ 1,000,000 filing events (quick: 100,000), each projection into a fresh read database, against a
 * raw sequential read of the same rows with better-sqlite3 (same columns, same batch size, no parsing).
 */
const NAME = 'rebuild';
const BATCH_SIZE = 2_000;

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
    const projections: Record<string, { events: number; elapsedMs: number; eventsPerS: number }> = {};
    let totalMs = 0;
    const projectRows = readModelProjections(loadChineseCalendar());
    for (const name of PROJECTION_NAMES) {
      const store = SqliteReadModelStore.open(join(dir, name), projectRows);
      try {
        const t = performance.now();
        const outcome = await profiled(args, NAME, `rebuild-${name}`, () =>
          rebuildProjection({ eventLog, store, name, batchSize: BATCH_SIZE }),
        );
        const elapsedMs = performance.now() - t;
        totalMs += elapsedMs;
        projections[name] = {
          events: outcome.events,
          elapsedMs: Math.round(elapsedMs),
          eventsPerS: rate(outcome.events, elapsedMs),
        };
        log(
          NAME,
          `  ${name}: ${outcome.events} events in ${(elapsedMs / 1000).toFixed(1)} s (${projections[name]?.eventsPerS} events/s)`,
        );
      } finally {
        await store.close();
      }
    }
    const rawAfter = await profiled(args, NAME, 'raw-read', async () => rawSequentialRead(seeded.file));
    const rawMs = (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2;
    const rawPerS = rate(seeded.events, rawMs);
    // Every projection reads the whole log: the log's events per second of wall time for all four.
    const allPerS = rate(seeded.events, totalMs);
    const figures = {
      filings: seeded.filings,
      events: seeded.events,
      rebuildAllEventsPerS: allPerS,
      rawReadEventsPerS: rawPerS,
      ratioAll: ratio(allPerS, rawPerS),
      portReadAllEventsPerS: rate(port.rows, port.elapsedMs),
      ratioPortRead: ratio(rate(port.rows, port.elapsedMs), rawPerS),
      projections: Object.fromEntries(
        Object.entries(projections).map(([name, p]) => [name, { ...p, ratio: ratio(p.eventsPerS, rawPerS) }]),
      ),
    };
    emitResult(NAME, args, started, figures, [
      'rebuildAllEventsPerS: log events / wall time of rebuilding every projection (PROJECTION_NAMES) one after another (each reads the whole log), as `icp projections rebuild` does',
      'rawReadEventsPerS: better-sqlite3 SELECT of the same rows and columns in the same 2,000-row batches, no JSON parsing (mean of a read before and after the rebuilds, page cache warm)',
      'portReadAllEventsPerS: the same batches through SqliteEventLog.readAll (rows → RecordedEvent, JSON.parse of data and metadata)',
    ]);
  } finally {
    await eventLog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
