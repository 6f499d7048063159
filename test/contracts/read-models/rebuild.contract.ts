import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTION_NAMES, type ReadModelStore } from '../../../events/ports/read-models.port';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { type RunningProjector, startProjector } from '../../../services/projections/projector';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import type { EventLog, ReadAllOptions } from '../../../events/ports/event-log.port';
import {
  rebuildProjection,
  rebuildProjections,
  verifyProjection,
  verifyProjections,
} from '../../../services/projections/rebuild';
import {
  type GeneratedFiling,
  appendFilingHistories,
  generateFilingHistories,
} from '../../support/filing-histories';
import type { ReadModelsFixture } from '../read-models.contract';

const FILINGS = 1_000;

/** The real log, counting what its readers take from it: each readAll and the events it answered. */
function countingReads(log: EventLog): { log: EventLog; reads: ReadAllOptions[]; events: () => number } {
  const reads: ReadAllOptions[] = [];
  let events = 0;
  const counted = new Proxy(log, {
    get(target, property, receiver) {
      if (property === 'readAll') {
        return async (options: ReadAllOptions = {}) => {
          reads.push(options);
          const page = await target.readAll(options);
          events += page.length;
          return page;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { log: counted, reads, events: () => events };
}

/** Rebuilds and verifications (`icp projections rebuild [--verify]`) of a store's projections. */
export function describeRebuildContract(
  backendName: string,
  openFixture: () => Promise<ReadModelsFixture>,
): void {
  describe(`ReadModelStore contract: ${backendName}: rebuilding and verifying projections over 1,000 filings (real SQLite log)`, () => {
    let dir: string;
    let fixture: ReadModelsFixture;
    let log: SqliteEventLog;
    let stores: ReadModelStore[];
    let projectors: RunningProjector[];
    let filings: GeneratedFiling[];
    let events: number;

    const openStore = async (): Promise<ReadModelStore> => {
      const store = await fixture.open(readModelProjections(loadChineseCalendar()));
      stores.push(store);
      return store;
    };
    const project = (store: ReadModelStore): RunningProjector => {
      const projector = startProjector({ eventLog: log, store, batchSize: 300 });
      projectors.push(projector);
      return projector;
    };
    const count = async (table: string, where = ''): Promise<number> => {
      const [row] = await fixture.sql(`SELECT count(*) AS n FROM ${table} ${where}`);
      return Number(row?.n);
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'icp-rebuild-'));
      fixture = await openFixture();
      log = new SqliteEventLog(join(dir, 'data', 'events.sqlite'), { pollIntervalMs: 20 });
      stores = [];
      projectors = [];
      filings = generateFilingHistories({ count: FILINGS, seed: 6 });
      // The live read models are built incrementally while the filings arrive, as in production.
      const live = project(await openStore());
      ({ events } = await appendFilingHistories(log, filings));
      await live.caughtUp();
    });

    afterAll(async () => {
      await Promise.all(projectors.map((projector) => projector.stop()));
      for (const store of stores) await store.close();
      await log.close();
      await fixture.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('holds every filing once, in the stage its history ends in', async () => {
      const store = stores[0]!;
      expect(events).toBeGreaterThan(FILINGS * 5);
      expect(await count('filing_summary')).toBe(FILINGS);
      expect(await count('sla_filings')).toBe(FILINGS);
      const byStatus = new Map<string, number>();
      for (const filing of filings)
        byStatus.set(filing.finalStatus, (byStatus.get(filing.finalStatus) ?? 0) + 1);
      for (const [status, expected] of byStatus) {
        const page = await store.listFilings({ status: status as never, limit: 200 });
        expect(page.items.length).toBe(Math.min(expected, 200));
      }
      const waitingForBureau = filings.filter((filing) => filing.finalStatus === 'bureau_review').length;
      expect(await count('bureau_queue', 'WHERE queued_at IS NOT NULL')).toBe(waitingForBureau);
      expect(await count('public_registry')).toBe(
        filings.filter((filing) => filing.finalStatus === 'completed').length,
      );
    });

    it('--verify finds every projection identical to a rebuild from position 0', async () => {
      const store = await openStore();
      for (const name of PROJECTION_NAMES) {
        const outcome = await verifyProjection({ eventLog: log, store, name, batchSize: 1_000 });
        expect({ name, identical: outcome.identical, tables: outcome.tables }).toEqual({
          name,
          identical: true,
          tables: expect.any(Array),
        });
        expect(outcome.rows).toBeGreaterThan(0);
      }
    });

    it('rebuilds every projection from one read of the log, and --verify (one read too) finds each identical', async () => {
      const store = await openStore();
      const counting = countingReads(log);
      const head = await log.headPosition();
      const rebuilt = await rebuildProjections({
        eventLog: counting.log,
        store,
        names: PROJECTION_NAMES,
        batchSize: 1_000,
      });

      expect(rebuilt.map((outcome) => outcome.projection)).toEqual([...PROJECTION_NAMES]);
      expect(rebuilt.every((outcome) => outcome.checkpoint === head)).toBe(true);
      // One pass from position 0; the rest are each projection's final catch-up, empty on a quiet log.
      expect(counting.reads.filter((read) => (read.fromPosition ?? 0) === 0)).toHaveLength(1);
      expect(counting.events()).toBe(events);

      const verifying = countingReads(log);
      const verified = await verifyProjections({ eventLog: verifying.log, store, names: PROJECTION_NAMES });
      expect(verified.map(({ projection, identical }) => ({ projection, identical }))).toEqual(
        PROJECTION_NAMES.map((projection) => ({ projection, identical: true })),
      );
      expect(verified.every((outcome) => outcome.rows > 0)).toBe(true);
      expect(verifying.events()).toBe(events);
    });

    it('--verify names the row that differs when a live row was altered behind the projector’s back', async () => {
      const store = await openStore();
      const victim = filings[17]!;
      await fixture.sql(
        "UPDATE filing_summary SET app_name = 'tampered' WHERE filing_id = ?",
        victim.filingId,
      );
      try {
        const outcome = await verifyProjection({ eventLog: log, store, name: 'filing_summary' });
        expect(outcome.identical).toBe(false);
        const [table] = outcome.tables;
        expect(table).toMatchObject({ table: 'filing_summary', onlyLiveCount: 1, onlyRebuiltCount: 1 });
        expect(table?.onlyLive[0]).toMatchObject({ filing_id: victim.filingId, app_name: 'tampered' });
        expect(table?.onlyRebuilt[0]).toMatchObject({ filing_id: victim.filingId });
        expect(table?.onlyRebuilt[0]?.app_name).not.toBe('tampered');
      } finally {
        await rebuildProjection({ eventLog: log, store, name: 'filing_summary' });
      }
      expect((await store.getFiling(victim.filingId))?.appName).not.toBe('tampered');
      expect((await verifyProjection({ eventLog: log, store, name: 'filing_summary' })).identical).toBe(true);
    });

    it('swaps a rebuild in while readers keep reading and a projector keeps applying new filings', async () => {
      const reader = await openStore();
      const rebuilder = await openStore();
      const before = await reader.slaDashboard({});
      // A reader on its own connection reads between every two batches of the rebuild.
      const reads: Promise<number>[] = [];
      const read = () => reads.push(reader.slaDashboard({}).then((dashboard) => dashboard.filings));
      const more = generateFilingHistories({ count: 50, seed: 7 }).filter(
        (filing) => !filings.some((known) => known.filingId === filing.filingId),
      );

      const [outcomes] = await Promise.all([
        (async () => {
          const done = [];
          for (const name of PROJECTION_NAMES) {
            done.push(
              await rebuildProjection({
                eventLog: log,
                store: rebuilder,
                name,
                batchSize: 500,
                onProgress: read,
              }),
            );
          }
          return done;
        })(),
        appendFilingHistories(log, more),
      ]);
      await projectors[0]!.caughtUp();
      const seen = await Promise.all(reads);

      expect(outcomes.map((outcome) => outcome.projection)).toEqual([...PROJECTION_NAMES]);
      expect(seen.length).toBeGreaterThan(4 * 10);
      // Never an empty or half-built table: every read saw at least what was there before.
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(before.filings);
      expect((await reader.slaDashboard({})).filings).toBe(FILINGS + more.length);
      for (const name of PROJECTION_NAMES) {
        expect((await verifyProjection({ eventLog: log, store: rebuilder, name })).identical).toBe(true);
      }
    });

    it('the SLA dashboard counts filings by stage and province and gives median days per stage', async () => {
      const dashboard = await stores[0]!.slaDashboard({});
      const total = dashboard.stages.reduce((sum, stage) => sum + stage.filings, 0);
      expect(total).toBe(dashboard.filings);
      const platform = dashboard.stages.find((stage) => stage.stage === 'platform_review');
      expect(platform?.finishedVisits).toBeGreaterThan(0);
      expect(platform?.medianWorkingDays).not.toBeNull();
      expect(platform!.medianWorkingDays!).toBeLessThanOrEqual(2);
      const bureau = dashboard.stages.find((stage) => stage.stage === 'bureau_review');
      expect(bureau!.medianWorkingDays!).toBeLessThanOrEqual(20);
      const province = dashboard.byProvince[0]!.province;
      const one = await stores[0]!.slaDashboard({ province });
      expect(one.province).toBe(province);
      expect(one.byProvince.every((row) => row.province === province)).toBe(true);
      expect(one.filings).toBe(
        dashboard.byProvince
          .filter((row) => row.province === province)
          .reduce((sum, row) => sum + row.filings, 0),
      );
    });
  });
}
