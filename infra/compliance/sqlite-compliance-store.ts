import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type ComplianceParty, partyKey } from '../../events/compliance/compliance-party';
import type { InventoryReport } from '../../events/compliance/inventory/inventory';
import type { SweepItem, SweepSummary } from '../../events/compliance/inventory/sweep';
import type {
  ComplianceStore,
  InventoryLineCursor,
  InventoryLineRecord,
  InventoryReportSummary,
  ReportedInventoryLine,
} from '../../events/ports/compliance-store.port';
import {
  cursorValues,
  LATEST_REPORTS,
  type LineRow,
  reportColumns,
  reportLineOfRow,
  reportOfRow,
  type ReportRow,
  sweepItemOfJson,
  sweepOfJson,
} from './compliance-rows';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inventory_reports (
  party_key TEXT NOT NULL, reported_on TEXT NOT NULL, lines INTEGER NOT NULL, digest TEXT NOT NULL,
  counts_json TEXT NOT NULL, PRIMARY KEY (party_key, reported_on)) STRICT;
CREATE TABLE IF NOT EXISTS inventory_lines (
  party_key TEXT NOT NULL, reported_on TEXT NOT NULL, line_no INTEGER NOT NULL, province TEXT NOT NULL,
  line_json TEXT NOT NULL, PRIMARY KEY (party_key, reported_on, line_no)) STRICT;
CREATE TABLE IF NOT EXISTS sweep_results (as_of TEXT PRIMARY KEY, summary_json TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS sweep_items (
  as_of TEXT NOT NULL, seq INTEGER NOT NULL, province TEXT NOT NULL, party_key TEXT NOT NULL,
  item_json TEXT NOT NULL, PRIMARY KEY (as_of, seq)) STRICT;`;

/** The inventories and sweep results in one SQLite file (one host); PgComplianceStore with DATABASE_URL. */
export class SqliteComplianceStore implements ComplianceStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  async saveReport(report: InventoryReport, lines: readonly InventoryLineRecord[]): Promise<void> {
    const row = reportColumns(report);
    const insertLine = this.db.prepare(
      'INSERT INTO inventory_lines (party_key, reported_on, line_no, province, line_json) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db
        .prepare('DELETE FROM inventory_lines WHERE party_key = ? AND reported_on = ?')
        .run(row.party_key, row.reported_on);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO inventory_reports (party_key, reported_on, lines, digest, counts_json)
           VALUES (@party_key, @reported_on, @lines, @digest, @counts_json)`,
        )
        .run(row);
      for (const line of lines) {
        insertLine.run(row.party_key, row.reported_on, line.lineNo, line.province, JSON.stringify(line));
      }
    })();
  }

  async report(party: ComplianceParty, reportedOn: string): Promise<InventoryReport | undefined> {
    const row = this.db
      .prepare('SELECT * FROM inventory_reports WHERE party_key = ? AND reported_on = ?')
      .get(partyKey(party), reportedOn) as ReportRow | undefined;
    return row && reportOfRow(row);
  }

  async listReports(filter: { party?: ComplianceParty; reportedOn?: string }): Promise<InventoryReport[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM inventory_reports WHERE (? IS NULL OR party_key = ?) AND (? IS NULL OR reported_on = ?)
         ORDER BY reported_on DESC, party_key`,
      )
      .all(...twice(filter.party && partyKey(filter.party)), ...twice(filter.reportedOn)) as ReportRow[];
    return rows.map(reportOfRow);
  }

  async latestReport(party: ComplianceParty): Promise<InventoryReportSummary | undefined> {
    const [latest] = await this.listReports({ party });
    return latest && { reportedOn: latest.reportedOn, lines: latest.lines, digest: latest.digest };
  }

  async latestLines(
    party: ComplianceParty,
    filter: { province?: string } = {},
  ): Promise<InventoryLineRecord[]> {
    const latest = await this.latestReport(party);
    if (!latest) return [];
    const rows = this.db
      .prepare(
        `SELECT line_json FROM inventory_lines WHERE party_key = ? AND reported_on = ?
         AND (? IS NULL OR province = ?) ORDER BY line_no`,
      )
      .all(partyKey(party), latest.reportedOn, ...twice(filter.province)) as Array<{ line_json: string }>;
    return rows.map((row) => JSON.parse(row.line_json) as InventoryLineRecord);
  }

  async latestLinesPage(
    after: InventoryLineCursor | undefined,
    limit: number,
  ): Promise<ReportedInventoryLine[]> {
    const rows = this.db
      .prepare(
        `WITH latest AS (${LATEST_REPORTS})
         SELECT l.party_key, l.reported_on, l.line_json FROM inventory_lines l
         JOIN latest t ON t.party_key = l.party_key AND t.reported_on = l.reported_on
         WHERE l.party_key > ? OR (l.party_key = ? AND l.line_no > ?)
         ORDER BY l.party_key, l.line_no LIMIT ?`,
      )
      .all(...cursorValues(after), limit) as LineRow[];
    return rows.map(reportLineOfRow);
  }

  async countLatestLines(): Promise<number> {
    const row = this.db
      .prepare(
        `WITH latest AS (${LATEST_REPORTS}) SELECT COALESCE(SUM(r.lines), 0) AS n
      FROM inventory_reports r JOIN latest t ON t.party_key = r.party_key AND t.reported_on = r.reported_on`,
      )
      .get() as {
      n: number;
    };
    return row.n;
  }

  async saveSweep(summary: SweepSummary, items: readonly SweepItem[]): Promise<void> {
    const insert = this.db.prepare(
      'INSERT INTO sweep_items (as_of, seq, province, party_key, item_json) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sweep_items WHERE as_of = ?').run(summary.asOf);
      this.db
        .prepare('INSERT OR REPLACE INTO sweep_results (as_of, summary_json) VALUES (?, ?)')
        .run(summary.asOf, JSON.stringify(summary));
      items.forEach((item, seq) =>
        insert.run(summary.asOf, seq, item.province, item.party, JSON.stringify(item)),
      );
    })();
  }

  async sweep(asOf: string): Promise<SweepSummary | undefined> {
    const row = this.db.prepare('SELECT summary_json FROM sweep_results WHERE as_of = ?').get(asOf) as
      { summary_json: string } | undefined;
    return row && sweepOfJson(row.summary_json);
  }

  async sweepItems(asOf: string, filter: { province?: string; party?: string }): Promise<SweepItem[]> {
    const rows = this.db
      .prepare(
        `SELECT item_json FROM sweep_items WHERE as_of = ? AND (? IS NULL OR province = ?)
         AND (? IS NULL OR party_key = ?) ORDER BY seq`,
      )
      .all(asOf, ...twice(filter.province), ...twice(filter.party)) as Array<{ item_json: string }>;
    return rows.map((row) => sweepItemOfJson(row.item_json));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** A filter value bound twice: `(? IS NULL OR column = ?)`. */
function twice(value: string | undefined): [string | null, string | null] {
  return [value ?? null, value ?? null];
}

export function openSqliteComplianceStore(dataDir: string): SqliteComplianceStore {
  return new SqliteComplianceStore(join(dataDir, 'compliance.sqlite'));
}
