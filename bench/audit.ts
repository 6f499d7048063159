import Database from 'better-sqlite3';
import { filingStreamId } from '../events/filing/stream-ids';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { createAuditCommand } from '../main/cli/commands/audit.command';
import { NO_LIMIT, prepareStatements } from '../infra/event-log/sqlite/event-rows';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { readFilingHistory } from '../services/audit/audit-loader';
import { auditFilingHistory } from '../services/audit/filing-audit';
import { SeededRandom } from '../test/support/seeded-random';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { seededFilingIds, seededLog } from './lib/seeded-log';
import { rate, ratio, summarize } from './lib/stats';

/**
 * The auditor's replay: one filing's history read and verified (`icp audit replay` without the
 * Temporal cross-check), and `icp audit verify --all` over 10,000 seeded filings (quick: 1,000), run
 * in-process through the command itself. Beside it, a bare read of the same streams with better-sqlite3.
 */
const NAME = 'audit';

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

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const filings = size(args, 10_000, 1_000);
  const seeded = await seededLog({ filings }, (line) => log(NAME, line));
  const filingIds = seededFilingIds(seeded);
  const calendar = loadChineseCalendar();
  log(NAME, `log: ${seeded.filings} filings, ${seeded.events} events`);

  // One filing at a time, random filings of the log; the first 50 warm up.
  const eventLog = new SqliteEventLog(seeded.file);
  const replays = size(args, 2_000, 500);
  const random = new SeededRandom(42);
  const whole: number[] = [];
  const auditOnly: number[] = [];
  let notVerified = 0;
  try {
    await profiled(args, NAME, 'replay-one', async () => {
      for (let i = 0; i < replays + 50; i += 1) {
        const filingId = filingIds[random.int(0, filingIds.length - 1)] as string;
        const t0 = performance.now();
        const recorded = await readFilingHistory(eventLog, filingId);
        const t1 = performance.now();
        const report = auditFilingHistory(filingId, recorded, { calendar });
        const t2 = performance.now();
        if (report.verdict !== 'verified') notVerified += 1;
        if (i >= 50) {
          whole.push(t2 - t0);
          auditOnly.push(t2 - t1);
        }
      }
    });
  } finally {
    await eventLog.close();
  }

  // `icp audit verify --all`, as the command runs it (8 streams read at once, a progress line on stderr).
  const out: string[] = [];
  const command = createAuditCommand({
    openEventLog: () => ({ eventLog: new SqliteEventLog(seeded.file), description: `sqlite:${seeded.file}` }),
    calendar: () => calendar,
  });
  const rawBefore = rawReadAll(seeded.file, filingIds);
  const t = performance.now();
  const exit = await profiled(args, NAME, 'verify-all', () =>
    command.run(['verify', '--all'], { out: (line) => out.push(line), err: () => undefined }),
  );
  const verifyMs = performance.now() - t;
  const rawAfter = rawReadAll(seeded.file, filingIds);
  const rawMs = (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2;
  const summary = out[0] ?? '';
  log(NAME, `verify --all: ${summary} (exit ${exit}) in ${(verifyMs / 1000).toFixed(1)} s`);
  if (exit !== 0) throw new Error(`icp audit verify --all exited ${exit}: ${out.slice(0, 5).join(' | ')}`);

  const verifyPerS = rate(seeded.events, verifyMs);
  const rawPerS = rate(rawBefore.events, rawMs);
  emitResult(
    NAME,
    args,
    started,
    {
      filings: seeded.filings,
      events: seeded.events,
      replayOneFilingMs: summarize(whole),
      auditOnlyMs: summarize(auditOnly),
      replaysNotVerified: notVerified,
      verifyAll: {
        summary,
        elapsedMs: Math.round(verifyMs),
        eventsPerS: verifyPerS,
        filingsPerS: rate(seeded.filings, verifyMs),
      },
      rawStreamReadEventsPerS: rawPerS,
      ratioVerifyAll: ratio(verifyPerS, rawPerS),
    },
    [
      'replayOneFilingMs: readFilingHistory + auditFilingHistory of one random filing (no Temporal cross-check); auditOnlyMs: the audit alone',
      'verifyAll: `icp audit verify --all` through its command object in-process (lists filings from $all, then reads and audits every stream)',
      'rawStreamReadEventsPerS: better-sqlite3 SELECT of every filing stream, one query per stream, no parsing; ratioVerifyAll = verify / raw',
    ],
  );
});
