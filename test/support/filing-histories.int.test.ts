import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyFilingChain } from '../../events/filing/envelope';
import type { FilingEnvelope } from '../../events/filing/filing-events';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { appendFilingHistories, countEvents, generateFilingHistories } from './filing-histories';

describe('appendFilingHistories on SQLite', () => {
  let dir: string;
  let log: SqliteEventLog;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-filing-histories-'));
    log = new SqliteEventLog(join(dir, 'events.sqlite'));
  });

  afterAll(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends 1,000 filings, interleaved, and reads every stream back as generated', async () => {
    const generating = performance.now();
    const filings = generateFilingHistories({ count: 1_000, seed: 42 });
    const appending = performance.now();
    const result = await appendFilingHistories(log, filings);
    const done = performance.now();
    console.info(
      `1,000 filings: ${result.events} events in ${result.appends} appends; ` +
        `generated in ${Math.round(appending - generating)} ms, appended in ${Math.round(done - appending)} ms`,
    );

    expect(result).toMatchObject({ filings: 1_000, events: countEvents(filings) });
    for (const filing of filings) {
      const stored = await log.readStream(filing.streamId);
      expect(stored).toEqual(filing.envelopes.map((envelope) => recorded(filing.streamId, envelope)));
      expect(verifyFilingChain(filing.filingId, stored as unknown as FilingEnvelope[])).toEqual([]);
    }

    const all = await log.readAll();
    expect(all).toHaveLength(result.events);
    // Interleaved: the first 100 events of $all come from 100 different filings.
    expect(new Set(all.slice(0, 100).map((event) => event.streamId)).size).toBe(100);
  });

  it('is idempotent: appending the same histories again writes nothing twice', async () => {
    const filings = generateFilingHistories({ count: 20, seed: 42 });
    const before = await log.headPosition();
    await appendFilingHistories(log, filings, { transitionsPerAppend: Infinity });
    expect(await log.headPosition()).toBe(before);
  });
});

function recorded(streamId: string, envelope: FilingEnvelope): unknown {
  return {
    id: envelope.id,
    type: envelope.type,
    data: envelope.data,
    metadata: envelope.metadata,
    streamId,
    revision: envelope.metadata.seq,
    position: expect.any(Number),
    recordedAt: expect.any(String),
  };
}
