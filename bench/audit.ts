import Database from 'better-sqlite3';
import { filingStreamId } from '../events/filing/stream-ids';
import { type ChainHasher, PURE_CHAIN_HASHER } from '../events/ids';
import type { WorkingDayCalendar } from '../events/working-days/working-day-calendar';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { createAuditCommand } from '../main/cli/commands/audit.command';
import { DEFAULT_READ_CONCURRENCY } from '../main/cli/commands/audit-streams';
import { NO_LIMIT, prepareStatements } from '../infra/event-log/sqlite/event-rows';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { readFilingHistory } from '../services/audit/audit-loader';
import { auditFilingHistory } from '../services/audit/filing-audit';
import { NATIVE_CHAIN_HASHER } from '../services/audit/native-hasher';
import { SeededRandom } from '../test/support/seeded-random';
import { type BenchArgs, parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { seededFilingIds, seededLog } from './lib/seeded-log';
import { type LatencySummary, rate, ratio, summarize } from './lib/stats';

/**
 * The auditor's replay: one filing's history read and verified (`icp audit replay` without the
 * Temporal cross-check), and `icp audit verify --all` over 10,000 seeded filings (quick: 1,000), run
 * in-process through the command itself, and at 1, 2, 4 and 8 streams read at once. Both with the
 * auditor's node:crypto hasher and, for reference, events/' pure one. Beside them, a bare read of the
 * same streams with better-sqlite3.
 */
const NAME = 'audit';
const CONCURRENCIES = [1, 2, 4, 8] as const;

function rawReadAll(file: string, filingIds: readonly string[]): { events: number; elapsedMs: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { readStream } = prepareStatements(db);
    const started = performance.now();
    let events = 0;
    for (const filingId of filingIds) events += readStream.all(filingStreamId(filingId), 0, NO_LIMIT).length;
    return { events, elapsedMs: performance.now() - started };
  } finally {
    db.close();
  }
}

interface ReplayFigures {
  wholeMs: LatencySummary;
  auditOnlyMs: LatencySummary;
  notVerified: number;
}

/** Random filings replayed one at a time with each hasher in turn (same filing, same moment); 50 warm up. */
async function replayOne(
  args: BenchArgs,
  file: string,
  filingIds: readonly string[],
  calendar: WorkingDayCalendar,
): Promise<{ native: ReplayFigures; pure: ReplayFigures }> {
  const hashers = { native: NATIVE_CHAIN_HASHER, pure: PURE_CHAIN_HASHER };
  const samples = {
    native: { whole: [] as number[], audit: [] as number[] },
    pure: { whole: [] as number[], audit: [] as number[] },
  };
  const notVerified = { native: 0, pure: 0 };
  const eventLog = new SqliteEventLog(file);
  const replays = size(args, 2_000, 500);
  const random = new SeededRandom(42);
  try {
    await profiled(args, NAME, 'replay-one', async () => {
      for (let i = 0; i < replays + 50; i += 1) {
        const filingId = filingIds[random.int(0, filingIds.length - 1)] as string;
        for (const kind of i % 2 ? (['native', 'pure'] as const) : (['pure', 'native'] as const)) {
          const t0 = performance.now();
          const recorded = await readFilingHistory(eventLog, filingId);
          const t1 = performance.now();
          const report = auditFilingHistory(filingId, recorded, { calendar, hasher: hashers[kind] });
          const t2 = performance.now();
          if (report.verdict !== 'verified') notVerified[kind] += 1;
          if (i < 50) continue;
          samples[kind].whole.push(t2 - t0);
          samples[kind].audit.push(t2 - t1);
        }
      }
    });
  } finally {
    await eventLog.close();
  }
  const figures = (kind: 'native' | 'pure'): ReplayFigures => ({
    wholeMs: summarize(samples[kind].whole),
    auditOnlyMs: summarize(samples[kind].audit),
    notVerified: notVerified[kind],
  });
  return { native: figures('native'), pure: figures('pure') };
}

/** `icp audit verify --all` through its command object, as a user runs it; throws unless all verify. */
async function verifyAll(
  args: BenchArgs,
  file: string,
  calendar: WorkingDayCalendar,
  options: { readConcurrency: number; hasher: ChainHasher; profile?: string },
): Promise<{ elapsedMs: number; summary: string }> {
  const out: string[] = [];
  const command = createAuditCommand({
    openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: `sqlite:${file}` }),
    calendar: () => calendar,
    readConcurrency: options.readConcurrency,
    hasher: options.hasher,
  });
  const io = { out: (line: string) => out.push(line), err: () => undefined };
  const started = performance.now();
  const exit = options.profile
    ? await profiled(args, NAME, options.profile, () => command.run(['verify', '--all'], io))
    : await command.run(['verify', '--all'], io);
  const elapsedMs = performance.now() - started;
  if (exit !== 0) throw new Error(`icp audit verify --all exited ${exit}: ${out.slice(0, 5).join(' | ')}`);
  return { elapsedMs, summary: out[0] ?? '' };
}

/**
 * verify --all at each number of reads at once, after one warm-up run (the first run pays for the
 * JIT): two rounds in opposite orders, the better of the two, so no setting gains from running later.
 */
async function verifyByConcurrency(
  args: BenchArgs,
  file: string,
  calendar: WorkingDayCalendar,
  events: number,
): Promise<Record<string, number>> {
  const hasher = NATIVE_CHAIN_HASHER;
  await verifyAll(args, file, calendar, { readConcurrency: DEFAULT_READ_CONCURRENCY, hasher });
  const best: Record<string, number> = {};
  for (const order of [CONCURRENCIES, [...CONCURRENCIES].reverse()]) {
    for (const readConcurrency of order) {
      const run = await verifyAll(args, file, calendar, { readConcurrency, hasher });
      best[readConcurrency] = Math.max(best[readConcurrency] ?? 0, rate(events, run.elapsedMs));
    }
  }
  log(NAME, `verify --all events/s by reads at once: ${JSON.stringify(best)}`);
  return best;
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const filings = size(args, 10_000, 1_000);
  const seeded = await seededLog({ filings }, (line) => log(NAME, line));
  const filingIds = seededFilingIds(seeded);
  const calendar = loadChineseCalendar();
  log(NAME, `log: ${seeded.filings} filings, ${seeded.events} events`);

  const replay = await replayOne(args, seeded.file, filingIds, calendar);

  const rawBefore = rawReadAll(seeded.file, filingIds);
  const byConcurrency = await verifyByConcurrency(args, seeded.file, calendar, seeded.events);
  let purePerS = 0;
  for (let round = 0; round < 2; round += 1) {
    const run = await verifyAll(args, seeded.file, calendar, {
      readConcurrency: DEFAULT_READ_CONCURRENCY,
      hasher: PURE_CHAIN_HASHER,
    });
    purePerS = Math.max(purePerS, rate(seeded.events, run.elapsedMs));
  }
  const rawAfter = rawReadAll(seeded.file, filingIds);
  const rawMs = (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2;
  // One more run for its summary line and, with --profile, its profile: its time is not reported (the
  // profiler slows it).
  const last = await verifyAll(args, seeded.file, calendar, {
    readConcurrency: DEFAULT_READ_CONCURRENCY,
    hasher: NATIVE_CHAIN_HASHER,
    profile: 'verify-all',
  });
  log(NAME, `verify --all: ${last.summary}`);

  const verifyPerS = byConcurrency[DEFAULT_READ_CONCURRENCY] ?? 0;
  const rawPerS = rate(rawBefore.events, rawMs);
  emitResult(
    NAME,
    args,
    started,
    {
      filings: seeded.filings,
      events: seeded.events,
      replayOneFilingMs: replay.native.wholeMs,
      auditOnlyMs: replay.native.auditOnlyMs,
      replaysNotVerified: replay.native.notVerified + replay.pure.notVerified,
      pureHasher: { replayOneFilingMs: replay.pure.wholeMs, auditOnlyMs: replay.pure.auditOnlyMs },
      verifyAll: {
        summary: last.summary,
        readConcurrency: DEFAULT_READ_CONCURRENCY,
        eventsPerS: verifyPerS,
        filingsPerS: Math.round((verifyPerS * seeded.filings) / seeded.events),
        eventsPerSByReadConcurrency: byConcurrency,
        pureHasherEventsPerS: purePerS,
      },
      rawStreamReadEventsPerS: rawPerS,
      ratioVerifyAll: ratio(verifyPerS, rawPerS),
      ratioVerifyAllPureHasher: ratio(purePerS, rawPerS),
    },
    [
      'replayOneFilingMs: readFilingHistory + auditFilingHistory of one random filing (no Temporal cross-check), node:crypto hasher; auditOnlyMs: the audit alone; pureHasher: the same filings with events/ pure SHA-256 and UUIDv5, interleaved',
      'verifyAll: `icp audit verify --all` through its command object in-process (lists filings from $all, then reads and audits every stream) with the default reads at once, the better of two unprofiled runs after a warm-up; eventsPerSByReadConcurrency: the same at 1/2/4/8; pureHasherEventsPerS: with the pure hasher, better of two',
      'rawStreamReadEventsPerS: better-sqlite3 SELECT of every filing stream, one query per stream, no parsing; ratioVerifyAll = verify / raw',
    ],
  );
});
