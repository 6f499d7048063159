import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { filingStreamId } from '../../events/filing/stream-ids';
import { uuidv5 } from '../../events/ids';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { deleteEventRow } from '../../infra/event-log/sqlite/event-rows';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import {
  appendFilingHistories,
  FILING_PATHS,
  type GeneratedFiling,
  generateFilingHistories,
} from '../../test/support/filing-histories';
import { type FilingToAudit, listFilingsToAudit, readFilingHistory } from './audit-loader';

const chinaDate = (instant: string): string => chinaDateOfEpochMs(Date.parse(instant));

const expected = (filing: GeneratedFiling): FilingToAudit => ({
  filingId: filing.filingId,
  province: filing.province,
  submittedAt: filing.submittedAt,
});

describe('audit loader on a SQLite event log', () => {
  let dir: string;
  let file: string;
  let log: SqliteEventLog;
  let filings: GeneratedFiling[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-audit-loader-'));
    file = join(dir, 'events.sqlite');
    log = new SqliteEventLog(file);
    // Three hours apart: 120 filings span several China dates.
    filings = generateFilingHistories({
      count: 120,
      seed: 11,
      paths: FILING_PATHS,
      submissionIntervalMs: 3 * 3_600_000,
    });
    await appendFilingHistories(log, filings, { concurrentFilings: 30 });
    // Streams of other kinds share the log; the loader skips them.
    await log.appendToStream(
      'registry-440000-2026',
      [{ id: uuidv5('registry:0'), type: 'FilingSubmitted', data: {}, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
  });

  afterAll(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Where each filing's FilingSubmitted sits in $all. */
  async function submittedPositions(): Promise<Map<string, number>> {
    const positions = new Map<string, number>();
    for (const filing of filings) {
      positions.set(filing.filingId, (await log.readStream(filing.streamId))[0]?.position ?? -1);
    }
    return positions;
  }

  it('reads a filing stream as stored, and [] for a filing the log does not hold', async () => {
    const filing = filings[5] as GeneratedFiling;
    const history = await readFilingHistory(log, filing.filingId);
    expect(history.map((event) => [event.revision, event.id, event.type])).toEqual(
      filing.envelopes.map((envelope, seq) => [seq, envelope.id, envelope.type]),
    );
    expect(history.every((event) => event.streamId === filingStreamId(filing.filingId))).toBe(true);
    expect(await readFilingHistory(log, uuidv5('never-submitted'))).toEqual([]);
  });

  it('lists every filing once, in log order of its FilingSubmitted, with province and submission time', async () => {
    const listed = await listFilingsToAudit(log);
    const positions = await submittedPositions();
    const inLogOrder = [...filings].sort(
      (a, b) => (positions.get(a.filingId) ?? 0) - (positions.get(b.filingId) ?? 0),
    );
    expect(listed).toEqual(inLogOrder.map(expected));
  });

  it.each([1, 7, 4_000])('gives the same list whatever the readAll batch size (%d)', async (batchSize) => {
    expect(await listFilingsToAudit(log, {}, { batchSize })).toEqual(await listFilingsToAudit(log));
  });

  it('selects by province and by the China date of submission, as the generator made them', async () => {
    const listedIds = async (selection: Parameters<typeof listFilingsToAudit>[1]) =>
      new Set((await listFilingsToAudit(log, selection)).map((filing) => filing.filingId));
    const province = (filings[0] as GeneratedFiling).province;
    const ofProvince = filings.filter((filing) => filing.province === province);
    expect(ofProvince.length).toBeGreaterThan(0);
    expect(ofProvince.length).toBeLessThan(filings.length);
    expect(await listedIds({ province })).toEqual(new Set(ofProvince.map((filing) => filing.filingId)));

    // A date in the middle, where submissions 3 hours apart straddle China midnight (16:00 UTC).
    const since = chinaDate((filings[60] as GeneratedFiling).submittedAt);
    const fromSince = filings.filter((filing) => chinaDate(filing.submittedAt) >= since);
    expect(fromSince.length).toBeGreaterThan(0);
    expect(fromSince.length).toBeLessThan(filings.length);
    expect(await listedIds({ since })).toEqual(new Set(fromSince.map((filing) => filing.filingId)));
    // The China date, not the UTC date: a submission at 17:00 UTC is the next day in China.
    const lateUtc = filings.find(
      (filing) => filing.submittedAt.slice(0, 10) !== chinaDate(filing.submittedAt),
    );
    expect(lateUtc).toBeDefined();
    const nextDay = chinaDate((lateUtc as GeneratedFiling).submittedAt);
    expect(await listedIds({ since: nextDay })).toContain(lateUtc?.filingId);

    expect(await listedIds({ province, since })).toEqual(
      new Set(fromSince.filter((filing) => filing.province === province).map((filing) => filing.filingId)),
    );
    expect(await listedIds({ since: '2099-01-01' })).toEqual(new Set());
  });

  it('still lists, unselected, a filing whose FilingSubmitted was deleted from the file', async () => {
    const victim = filings[9] as GeneratedFiling;
    const raw = new Database(file);
    deleteEventRow(raw, victim.streamId, 0);
    raw.close();

    const all = await listFilingsToAudit(log);
    expect(all).toHaveLength(filings.length);
    expect(all).toContainEqual({ filingId: victim.filingId });
    expect(
      (await listFilingsToAudit(log, { province: victim.province })).map((f) => f.filingId),
    ).not.toContain(victim.filingId);
  });
});
