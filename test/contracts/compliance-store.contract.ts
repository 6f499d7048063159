import type { ComplianceParty } from '../../events/compliance/compliance-party';
import {
  type InventoryLine,
  type InventoryReport,
  zeroCounts,
} from '../../events/compliance/inventory/inventory';
import { type SweepItem, summarizeSweep } from '../../events/compliance/inventory/sweep';
import type { ComplianceStore, InventoryLineRecord } from '../../events/ports/compliance-store.port';

export interface ComplianceStoreFixture {
  store: ComplianceStore;
  cleanup(): Promise<void>;
}

const telecom: ComplianceParty = { role: 'isp', id: '中国电信' };
const appGallery: ComplianceParty = { role: 'store', id: 'huawei-appgallery' };

function records(lines: readonly InventoryLine[]): InventoryLineRecord[] {
  return lines.map((line, index) => ({ ...line, lineNo: index + 1, statusAtReport: 'not_registered' }));
}

function line(value: string, province = '440000'): InventoryLine {
  return { kind: 'package', value, province };
}

function reportOf(
  party: ComplianceParty,
  reportedOn: string,
  lines: readonly InventoryLine[],
): InventoryReport {
  return {
    party,
    reportedOn,
    lines: lines.length,
    digest: `digest-${reportedOn}-${lines.length}`,
    counts: { ...zeroCounts(), not_registered: lines.length },
  };
}

async function save(
  store: ComplianceStore,
  party: ComplianceParty,
  reportedOn: string,
  lines: InventoryLine[],
) {
  await store.saveReport(reportOf(party, reportedOn, lines), records(lines));
}

/** What every inventory and sweep-result store must do (SQLite file, PostgreSQL). */
export function describeComplianceStoreContract(
  backendName: string,
  open: () => Promise<ComplianceStoreFixture>,
): void {
  describe(`ComplianceStore contract: ${backendName}`, () => {
    let fixture: ComplianceStoreFixture;
    let store: ComplianceStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('keeps a report per party and date; a second report of that date replaces the first', async () => {
      await save(store, telecom, '2024-03-01', [line('a'), line('b')]);
      await save(store, telecom, '2024-03-01', [line('c')]);
      expect(await store.report(telecom, '2024-03-01')).toEqual(reportOf(telecom, '2024-03-01', [line('c')]));
      expect((await store.latestLines(telecom)).map((l) => l.value)).toEqual(['c']);
      expect(await store.report(appGallery, '2024-03-01')).toBeUndefined();
    });

    it('answers inspections with the latest report of a party, its lines filtered by province', async () => {
      await save(store, telecom, '2024-03-01', [line('old')]);
      await save(store, telecom, '2024-04-01', [line('gd', '440000'), line('bj', '110000')]);
      expect(await store.latestReport(telecom)).toEqual({
        reportedOn: '2024-04-01',
        lines: 2,
        digest: 'digest-2024-04-01-2',
      });
      const lines = await store.latestLines(telecom, { province: '110000' });
      expect(lines).toEqual([{ ...line('bj', '110000'), lineNo: 2, statusAtReport: 'not_registered' }]);
      expect(await store.latestReport(appGallery)).toBeUndefined();
      expect(await store.latestLines(appGallery)).toEqual([]);
    });

    it('lists reports newest first, of one party or one date', async () => {
      await save(store, telecom, '2024-03-01', [line('a')]);
      await save(store, appGallery, '2024-04-01', [line('b')]);
      const all = await store.listReports({});
      expect(all.map((r) => [r.party.id, r.reportedOn])).toEqual([
        ['huawei-appgallery', '2024-04-01'],
        ['中国电信', '2024-03-01'],
      ]);
      expect((await store.listReports({ party: telecom })).map((r) => r.reportedOn)).toEqual(['2024-03-01']);
      expect(await store.listReports({ reportedOn: '2024-05-01' })).toEqual([]);
    });

    it('pages through every party’s latest lines once, in party then line order', async () => {
      await save(store, telecom, '2024-03-01', [line('stale')]);
      await save(store, telecom, '2024-04-01', [line('t1'), line('t2'), line('t3')]);
      await save(store, appGallery, '2024-02-01', [line('s1'), line('s2')]);
      expect(await store.countLatestLines()).toBe(5);
      const seen: string[] = [];
      let page = await store.latestLinesPage(undefined, 2);
      while (page.length > 0) {
        seen.push(...page.map((item) => `${item.party.role}:${item.reportedOn}:${item.line.value}`));
        const last = page[page.length - 1]!;
        page = await store.latestLinesPage(
          { partyKey: `${last.party.role}:${last.party.id}`, lineNo: last.line.lineNo },
          2,
        );
      }
      expect(seen).toEqual([
        'isp:2024-04-01:t1',
        'isp:2024-04-01:t2',
        'isp:2024-04-01:t3',
        'store:2024-02-01:s1',
        'store:2024-02-01:s2',
      ]);
    });

    it('keeps one sweep per date, its items filtered by province and party; a sweep again replaces it', async () => {
      const item = (province: string, party: string, value: string): SweepItem => ({
        province,
        party,
        kind: 'package',
        value,
        deadline: '2024-03-31',
        daysPast: 1,
        reportedOn: '2024-03-01',
      });
      const first = [item('440000', 'isp:中国电信', 'a'), item('110000', 'store:x', 'b')];
      await store.saveSweep(summarizeSweep('2024-04-01', 9, first), first);
      const again = [...first, item('440000', 'store:x', 'c')];
      await store.saveSweep(summarizeSweep('2024-04-01', 9, again), again);
      expect(await store.sweep('2024-04-01')).toEqual(summarizeSweep('2024-04-01', 9, again));
      expect((await store.sweepItems('2024-04-01', { province: '440000' })).map((i) => i.value)).toEqual([
        'a',
        'c',
      ]);
      expect((await store.sweepItems('2024-04-01', { party: 'store:x' })).map((i) => i.value)).toEqual([
        'b',
        'c',
      ]);
      expect(await store.sweep('2024-04-02')).toBeUndefined();
      expect(await store.sweepItems('2024-04-02', {})).toEqual([]);
    });
  });
}
