import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogActivities } from '../activities/filing/event-log.activities';
import { EMPTY_STREAM } from '../events/filing/envelope';
import type { FilingEnvelope, StoredFilingEnvelope } from '../events/filing/filing-events';
import { foldFiling } from '../events/filing/evolve';
import { filingStatusView } from '../events/filing/filing-view';
import { filingStreamId } from '../events/filing/stream-ids';
import { upcastFilingEnvelope } from '../events/filing/upcast';
import type { RecordedEvent } from '../events/ports/event-log.port';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { storedEnvelopeOf } from '../services/audit/stored-envelope';
import { filingHistories } from '../test/support/filing-histories';
import { SeededRandom } from '../test/support/seeded-random';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { copySeededLog, seededFilingIds, seededLog } from './lib/seeded-log';
import { type LatencySummary, summarize } from './lib/stats';

/**
 * Whether appends and filing reads stay flat as the log grows: the workflow's append activity and a
 * filing read (its stream read and folded to the status view) against logs holding 1k, 10k and 100k
 * seeded filings (quick: 1k and 10k). Each size works on its own copy of the cached log.
 */
const NAME = 'scale';
/** Fresh filings appended at every size, one transition per append as the workflow appends. */
const FRESH_FILINGS = 120;
/** A p50 more than this many times the smallest size's is reported as not flat. */
const FLAT_WITHIN = 1.5;

interface Transition {
  streamId: string;
  expectedRevision: number | 'no_stream';
  events: FilingEnvelope[];
}

/** Transitions of fresh filings, round-robin over 20 filings at a time like concurrent workflows. */
function freshTransitions(): Transition[] {
  const perFiling = [...filingHistories({ count: FRESH_FILINGS, seed: 777 })].map((filing) => {
    const transitions: Transition[] = [];
    let seq = 0;
    for (const count of filing.transitionSizes) {
      transitions.push({
        streamId: filing.streamId,
        expectedRevision: seq === 0 ? 'no_stream' : seq - 1,
        events: filing.envelopes.slice(seq, seq + count),
      });
      seq += count;
    }
    return transitions;
  });
  const ordered: Transition[] = [];
  for (let group = 0; group < perFiling.length; group += 20) {
    const lanes = perFiling.slice(group, group + 20);
    for (let step = 0; lanes.some((lane) => step < lane.length); step += 1) {
      for (const lane of lanes) if (step < lane.length) ordered.push(lane[step] as Transition);
    }
  }
  return ordered;
}

/** A filing as a reader gets it from the log: its stream, upcast and folded to the status view. */
async function readFiling(eventLog: SqliteEventLog, filingId: string): Promise<string> {
  const recorded: RecordedEvent[] = await eventLog.readStream(filingStreamId(filingId));
  const envelopes = recorded.flatMap((event) => {
    const read = storedEnvelopeOf(event);
    return 'envelope' in read ? [upcastFilingEnvelope(read.envelope as StoredFilingEnvelope)] : [];
  });
  const last = envelopes[envelopes.length - 1];
  const head = last ? { revision: last.metadata.seq, lastHash: last.metadata.hash } : EMPTY_STREAM;
  return filingStatusView(filingId, foldFiling(envelopes), head).status;
}

interface SizePoint {
  filings: number;
  events: number;
  appendMs: LatencySummary;
  filingReadMs: LatencySummary;
}

async function measureSize(
  filings: number,
  transitions: readonly Transition[],
  reads: number,
  dir: string,
): Promise<SizePoint> {
  const seeded = await seededLog({ filings }, (line) => log(NAME, line));
  const ids = seededFilingIds(seeded);
  const file = copySeededLog(seeded, join(dir, `events-${filings}.sqlite`));
  const eventLog = new SqliteEventLog(file);
  const { appendFilingEvents } = createEventLogActivities({ eventLog });
  const random = new SeededRandom(filings);
  const appendMs: number[] = [];
  const readMs: number[] = [];
  try {
    // Appends and reads alternate, a few reads per append, as a running system mixes them.
    const readsPerAppend = reads / transitions.length;
    let owed = 0;
    for (const [index, transition] of transitions.entries()) {
      const t = performance.now();
      await appendFilingEvents(transition);
      if (index >= 20) appendMs.push(performance.now() - t);
      for (owed += readsPerAppend; owed >= 1; owed -= 1) {
        const filingId = ids[random.int(0, ids.length - 1)] as string;
        const r = performance.now();
        await readFiling(eventLog, filingId);
        readMs.push(performance.now() - r);
      }
    }
  } finally {
    await eventLog.close();
    rmSync(file, { force: true });
  }
  return {
    filings: seeded.filings,
    events: seeded.events,
    appendMs: summarize(appendMs),
    filingReadMs: summarize(readMs.slice(20)),
  };
}

function verdict(points: readonly SizePoint[], pick: (point: SizePoint) => number, what: string): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return `${what}: no data`;
  const growth = pick(last) / pick(first);
  const word = growth <= FLAT_WITHIN ? 'flat' : 'NOT flat';
  return `${what}: ${word} (p50 ×${growth.toFixed(2)} from ${first.filings.toLocaleString('en-US')} to ${last.filings.toLocaleString('en-US')} filings)`;
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const sizes = size(args, [1_000, 10_000, 100_000], [1_000, 10_000]);
  const reads = size(args, 2_000, 1_000);
  const transitions = freshTransitions();
  const dir = mkdtempSync(join(tmpdir(), 'icp-bench-scale-'));
  const points: SizePoint[] = [];
  try {
    for (const filings of sizes) {
      const point = await profiled(args, NAME, `filings-${filings}`, () =>
        measureSize(filings, transitions, reads, dir),
      );
      points.push(point);
      log(
        NAME,
        `${filings.toLocaleString('en-US')} filings: append p50 ${point.appendMs.p50} ms p99 ${point.appendMs.p99} ms; filing read p50 ${point.filingReadMs.p50} ms p99 ${point.filingReadMs.p99} ms`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const verdicts = [
    verdict(points, (point) => point.appendMs.p50, 'append'),
    verdict(points, (point) => point.filingReadMs.p50, 'filing read'),
  ];
  emitResult(NAME, args, started, { points, verdicts }, [
    'append: the workflow append activity (appendFilingEvents → SqliteEventLog), one transition of a fresh filing per append, fsync per commit',
    'filing read: readStream of a random stored filing, upcast and folded to its status view',
    `flat means the largest size's p50 is within ×${FLAT_WITHIN} of the smallest's`,
  ]);
});
