import type { Pool } from 'pg';
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
import { inTransaction, noRelease, type PoolRelease } from '../postgres/pg-pool';
import { type Migration, migrate } from '../postgres/schema';
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

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE IF NOT EXISTS inventory_reports (
        party_key TEXT NOT NULL, reported_on TEXT NOT NULL, lines INTEGER NOT NULL, digest TEXT NOT NULL,
        counts_json TEXT NOT NULL, PRIMARY KEY (party_key, reported_on));
      CREATE TABLE IF NOT EXISTS inventory_lines (
        party_key TEXT NOT NULL, reported_on TEXT NOT NULL, line_no INTEGER NOT NULL, province TEXT NOT NULL,
        line_json TEXT NOT NULL, PRIMARY KEY (party_key, reported_on, line_no));
      CREATE TABLE IF NOT EXISTS sweep_results (as_of TEXT PRIMARY KEY, summary_json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sweep_items (
        as_of TEXT NOT NULL, seq INTEGER NOT NULL, province TEXT NOT NULL, party_key TEXT NOT NULL,
        item_json TEXT NOT NULL, PRIMARY KEY (as_of, seq));`,
  },
];

/** Rows per INSERT … SELECT FROM unnest(…): one statement per chunk, whatever the report's size. */
const CHUNK = 10_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The inventories and sweep results on PostgreSQL, shared by every host. */
export class PgComplianceStore implements ComplianceStore {
  private constructor(
    private readonly pool: Pool,
    private readonly release: () => Promise<void>,
  ) {}

  static async open(pool: Pool, options: PoolRelease): Promise<PgComplianceStore> {
    await migrate(pool, 'compliance', MIGRATIONS);
    return new PgComplianceStore(pool, options.release ?? noRelease);
  }

  async saveReport(report: InventoryReport, lines: readonly InventoryLineRecord[]): Promise<void> {
    const row = reportColumns(report);
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inventory:${row.party_key}`]);
      await client.query('DELETE FROM inventory_lines WHERE party_key = $1 AND reported_on = $2', [
        row.party_key,
        row.reported_on,
      ]);
      await client.query(
        `INSERT INTO inventory_reports (party_key, reported_on, lines, digest, counts_json) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (party_key, reported_on) DO UPDATE SET lines = EXCLUDED.lines, digest = EXCLUDED.digest,
         counts_json = EXCLUDED.counts_json`,
        [row.party_key, row.reported_on, row.lines, row.digest, row.counts_json],
      );
      for (const chunk of chunks(lines)) {
        await client.query(
          `INSERT INTO inventory_lines (party_key, reported_on, line_no, province, line_json)
           SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[])`,
          [
            row.party_key,
            row.reported_on,
            chunk.map((line) => line.lineNo),
            chunk.map((line) => line.province),
            chunk.map((line) => JSON.stringify(line)),
          ],
        );
      }
    });
  }

  async report(party: ComplianceParty, reportedOn: string): Promise<InventoryReport | undefined> {
    const result = await this.pool.query<ReportRow>(
      'SELECT * FROM inventory_reports WHERE party_key = $1 AND reported_on = $2',
      [partyKey(party), reportedOn],
    );
    return result.rows[0] && reportOfRow(result.rows[0]);
  }

  async listReports(filter: { party?: ComplianceParty; reportedOn?: string }): Promise<InventoryReport[]> {
    const result = await this.pool.query<ReportRow>(
      `SELECT * FROM inventory_reports WHERE ($1::text IS NULL OR party_key = $1)
       AND ($2::text IS NULL OR reported_on = $2) ORDER BY reported_on DESC, party_key`,
      [filter.party ? partyKey(filter.party) : null, filter.reportedOn ?? null],
    );
    return result.rows.map(reportOfRow);
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
    const result = await this.pool.query<{ line_json: string }>(
      `SELECT line_json FROM inventory_lines WHERE party_key = $1 AND reported_on = $2
       AND ($3::text IS NULL OR province = $3) ORDER BY line_no`,
      [partyKey(party), latest.reportedOn, filter.province ?? null],
    );
    return result.rows.map((row) => JSON.parse(row.line_json) as InventoryLineRecord);
  }

  async latestLinesPage(
    after: InventoryLineCursor | undefined,
    limit: number,
  ): Promise<ReportedInventoryLine[]> {
    const result = await this.pool.query<LineRow>(
      `WITH latest AS (${LATEST_REPORTS})
       SELECT l.party_key, l.reported_on, l.line_json FROM inventory_lines l
       JOIN latest t ON t.party_key = l.party_key AND t.reported_on = l.reported_on
       WHERE l.party_key COLLATE "C" > $1 OR (l.party_key = $2 AND l.line_no > $3)
       ORDER BY l.party_key COLLATE "C", l.line_no LIMIT $4`,
      [...cursorValues(after), limit],
    );
    return result.rows.map(reportLineOfRow);
  }

  async countLatestLines(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      `WITH latest AS (${LATEST_REPORTS}) SELECT COALESCE(SUM(r.lines), 0) AS n FROM inventory_reports r
       JOIN latest t ON t.party_key = r.party_key AND t.reported_on = r.reported_on`,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async saveSweep(summary: SweepSummary, items: readonly SweepItem[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sweep:${summary.asOf}`]);
      await client.query('DELETE FROM sweep_items WHERE as_of = $1', [summary.asOf]);
      await client.query(
        `INSERT INTO sweep_results (as_of, summary_json) VALUES ($1, $2)
         ON CONFLICT (as_of) DO UPDATE SET summary_json = EXCLUDED.summary_json`,
        [summary.asOf, JSON.stringify(summary)],
      );
      let seq = 0;
      for (const chunk of chunks(items)) {
        await client.query(
          `INSERT INTO sweep_items (as_of, seq, province, party_key, item_json)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
          [
            summary.asOf,
            chunk.map(() => (seq += 1) - 1),
            chunk.map((item) => item.province),
            chunk.map((item) => item.party),
            chunk.map((item) => JSON.stringify(item)),
          ],
        );
      }
    });
  }

  async sweep(asOf: string): Promise<SweepSummary | undefined> {
    const result = await this.pool.query<{ summary_json: string }>(
      'SELECT summary_json FROM sweep_results WHERE as_of = $1',
      [asOf],
    );
    return result.rows[0] && sweepOfJson(result.rows[0].summary_json);
  }

  async sweepItems(asOf: string, filter: { province?: string; party?: string }): Promise<SweepItem[]> {
    const result = await this.pool.query<{ item_json: string }>(
      `SELECT item_json FROM sweep_items WHERE as_of = $1 AND ($2::text IS NULL OR province = $2)
       AND ($3::text IS NULL OR party_key = $3) ORDER BY seq`,
      [asOf, filter.province ?? null, filter.party ?? null],
    );
    return result.rows.map((row) => sweepItemOfJson(row.item_json));
  }

  async close(): Promise<void> {
    await this.release();
  }
}
