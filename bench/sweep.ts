import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runDeadlineSweep } from '../activities/compliance/sweep/deadline-sweep';
import type { ComplianceParty } from '../events/compliance/compliance-party';
import { zeroCounts } from '../events/compliance/inventory/inventory';
import type { InventoryLineRecord } from '../events/ports/compliance-store.port';
import type { RegistryServiceRow } from '../events/ports/read-models.port';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { openSqliteComplianceStore } from '../infra/compliance/sqlite-compliance-store';
import { SqliteEventLog } from '../infra/event-log/sqlite/sqlite-event-log';
import { identifierRecordsOf, toRegistryServiceRecord } from '../infra/read-models/registry.records';
import { READ_MODELS_FILE } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../main/read-models';
import { parseBenchArgs, size } from './lib/args';
import { profiled } from './lib/profiling';
import { emitResult, log, runBench } from './lib/report';
import { rate, ratio } from './lib/stats';

/**
 * The deadline sweep (what `icp compliance sweep` and the schedule run) over 100,000 inventory lines
 * (quick: 10,000) against a registry read model of 1,000,000 registered services (quick: 100,000),
 * against a raw better-sqlite3 scan of the same rows: the latest lines, and the identifier index
 * joined to the services for the same keys in the same 1,000-key chunks, no JSON parsing.
 */
const NAME = 'sweep';
const CHUNK = 1_000;
const PARTIES: ComplianceParty[] = [
  { role: 'isp', id: '中国电信' },
  { role: 'store', id: 'huawei-appgallery' },
  { role: 'device_maker', id: 'xiaomi' },
];

const packageOf = (n: number) => `com.bench.app${n}`;

function serviceRow(n: number): RegistryServiceRow {
  const subjectNumber = `粤ICP备${String(2024000000 + Math.floor(n / 4)).padStart(10, '0')}号`;
  return {
    serviceNumber: `${subjectNumber}-${(n % 4) + 1}A`,
    subjectNumber,
    sequence: (n % 4) + 1,
    serviceType: 'app',
    name: `应用${n}`,
    operatorName: `运营者${Math.floor(n / 4)}`,
    identifiers: {
      packages: [{ os: 'android', packageName: packageOf(n), signatureMd5: 'c'.repeat(32) }],
      bundles: [],
      domains: [],
    },
    preApprovalCategories: [],
    approvedOn: '2024-01-15',
    status: 'active',
    version: 1,
    source: 'registry',
  } as RegistryServiceRow;
}

/** `services` registered apps written straight into the registry tables (as the projector writes them). */
async function seedRegistry(dataDir: string, services: number): Promise<void> {
  // Opening the store creates the tables; the rows go in directly, in one transaction.
  await openReadModels(dataDir, loadChineseCalendar()).close();
  const db = new Database(join(dataDir, READ_MODELS_FILE));
  db.pragma('journal_mode = WAL');
  const service = db.prepare(
    `INSERT INTO registry_services (service_number, subject_number, sequence, service_type, name, operator_name,
     operator_nature, identifiers, pre_approval_categories, approved_on, status, filing_id, source, version,
     changed_on, accesses, access_withdrawn_on, cancelled_on) VALUES (@service_number, @subject_number, @sequence,
     @service_type, @name, @operator_name, @operator_nature, @identifiers, @pre_approval_categories, @approved_on,
     @status, @filing_id, @source, @version, @changed_on, @accesses, @access_withdrawn_on, @cancelled_on)`,
  );
  const identifier = db.prepare(
    'INSERT INTO registry_service_identifiers (kind, value, service_number) VALUES (@kind, @value, @service_number)',
  );
  db.transaction(() => {
    for (let n = 0; n < services; n += 1) {
      const row = serviceRow(n);
      service.run(toRegistryServiceRecord(row));
      for (const record of identifierRecordsOf(row)) identifier.run(record);
    }
  })();
  db.close();
}

/** Every other line an app of the registry, the rest never registered (overdue as of the sweep). */
async function seedInventories(dataDir: string, lines: number, services: number): Promise<void> {
  const store = openSqliteComplianceStore(dataDir);
  const perParty = Math.ceil(lines / PARTIES.length);
  for (const [p, party] of PARTIES.entries()) {
    const records: InventoryLineRecord[] = [];
    for (let i = 0; i < perParty && p * perParty + i < lines; i += 1) {
      const n = p * perParty + i;
      const value = n % 2 === 0 ? packageOf((n * 7919) % services) : `com.unregistered.app${n}`;
      records.push({
        lineNo: i + 1,
        kind: 'package',
        value,
        province: '440000',
        statusAtReport: 'registered',
      });
    }
    const report = {
      party,
      reportedOn: '2024-03-01',
      lines: records.length,
      digest: `bench-${p}`,
      counts: zeroCounts(),
    };
    await store.saveReport(report, records);
  }
  await store.close();
}

/** The same rows read raw: the latest lines, then their keys through the identifier index, no parsing. */
function rawScan(dataDir: string): { rows: number; elapsedMs: number } {
  const compliance = new Database(join(dataDir, 'compliance.sqlite'), { readonly: true });
  const registry = new Database(join(dataDir, READ_MODELS_FILE), { readonly: true });
  try {
    const started = performance.now();
    const lines = compliance
      .prepare(`SELECT party_key, line_no, line_json FROM inventory_lines ORDER BY party_key, line_no`)
      .all() as Array<{ line_json: string }>;
    const values = lines.map((line) => /"value":"([^"]*)"/.exec(line.line_json)?.[1] ?? '');
    let matched = 0;
    for (let start = 0; start < values.length; start += CHUNK) {
      const chunk = values.slice(start, start + CHUNK);
      const rows = registry
        .prepare(
          `SELECT s.* FROM registry_service_identifiers i JOIN registry_services s ON s.service_number = i.service_number
           WHERE i.kind = 'package' AND i.value IN (${chunk.map(() => '?').join(', ')})`,
        )
        .all(...chunk);
      matched += rows.length;
    }
    if (matched === 0) throw new Error('the raw scan matched nothing');
    return { rows: lines.length, elapsedMs: performance.now() - started };
  } finally {
    compliance.close();
    registry.close();
  }
}

runBench(NAME, async () => {
  const args = parseBenchArgs();
  const started = performance.now();
  const services = size(args, 1_000_000, 100_000);
  const lines = size(args, 100_000, 10_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-bench-sweep-'));
  try {
    let t = performance.now();
    await seedRegistry(dataDir, services);
    log(
      NAME,
      `registry: ${services.toLocaleString('en-US')} services in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    t = performance.now();
    await seedInventories(dataDir, lines, services);
    log(
      NAME,
      `inventories: ${lines.toLocaleString('en-US')} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    rawScan(dataDir);
    const rawBefore = rawScan(dataDir);
    const eventLog = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    const registry = openReadModels(dataDir, loadChineseCalendar());
    const store = openSqliteComplianceStore(dataDir);
    t = performance.now();
    const summary = await profiled(args, NAME, 'sweep', () =>
      runDeadlineSweep({ eventLog, registry, store }, '2024-04-01', {
        recordedBy: { role: 'system', id: 'bench' },
        causationId: 'bench',
      }),
    );
    const sweepMs = performance.now() - t;
    await Promise.all([eventLog.close(), registry.close(), store.close()]);
    const rawAfter = rawScan(dataDir);
    const rawPerS = rate(lines, (rawBefore.elapsedMs + rawAfter.elapsedMs) / 2);
    const sweepPerS = rate(summary.counts.lines, sweepMs);
    log(
      NAME,
      `sweep: ${summary.counts.lines} lines, ${summary.counts.overdue} overdue, ${sweepPerS} lines/s`,
    );
    emitResult(
      NAME,
      args,
      started,
      {
        services,
        lines: summary.counts.lines,
        overdue: summary.counts.overdue,
        sweepItemsPerS: sweepPerS,
        rawScanItemsPerS: rawPerS,
        ratio: ratio(sweepPerS, rawPerS),
      },
      [
        'sweepItemsPerS: inventory lines / wall time of runDeadlineSweep (pages of 1,000 lines, servicesByIdentifiers, verify, deadline, store the result, append SweepCompleted)',
        'rawScanItemsPerS: better-sqlite3 SELECT of the same lines, then the identifier index joined to the services in the same 1,000-key chunks, no JSON parsing (mean of a scan before and after)',
      ],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
