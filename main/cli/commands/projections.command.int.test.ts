import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCommand } from '../../../test/cli/run-command';
import { appendFilingHistories, generateFilingHistories } from '../../../test/support/filing-histories';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { type PostgresCluster, startPostgresCluster } from '../../../test/support/postgres-cluster';
import { projectionsCommand } from './projections.command';

const run = (args: readonly string[]) => runCommand(projectionsCommand, args);

describe('icp projections', () => {
  const saved = { dataDir: process.env.ICP_DATA_DIR, url: process.env.EVENT_STORE_URL };
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-projections-cli-'));
    process.env.ICP_DATA_DIR = dataDir;
    delete process.env.EVENT_STORE_URL;
    const log = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    await appendFilingHistories(log, generateFilingHistories({ count: 40, seed: 3 }));
    await log.close();
  });

  afterAll(() => {
    if (saved.dataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = saved.dataDir;
    if (saved.url !== undefined) process.env.EVENT_STORE_URL = saved.url;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    [[], 'name an action: rebuild or status'],
    [
      ['rebuild', '--name', 'everything'],
      '--name must be one of filing_summary, bureau_queue, public_registry, sla_dashboard, registry',
    ],
    [['rebuild', '--fast'], 'unknown option --fast'],
    [['status', '--verify'], 'unknown option --verify'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const result = await run(args);
    expect(result).toEqual({
      code: 2,
      out: [],
      err: [
        `icp projections: ${message} (usage: icp projections rebuild|status [--name N] [--verify] [--json])`,
      ],
    });
  });

  it('status shows each projection behind the head before anything projected it', async () => {
    const result = await run(['status', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.out.join('\n')) as Array<{
      projection: string;
      checkpoint: number;
      head: number;
    }>;
    expect(rows.map((row) => row.projection)).toEqual([
      'filing_summary',
      'bureau_queue',
      'public_registry',
      'sla_dashboard',
      'registry',
    ]);
    expect(rows.every((row) => row.checkpoint === 0 && row.head > 0)).toBe(true);
  });

  it('rebuilds one projection by name up to the head, then verifies it identical', async () => {
    const rebuilt = await run(['rebuild', '--name', 'bureau_queue']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toEqual([
      expect.stringMatching(/^bureau_queue: rebuilt from [\d,]+ events in [\d.]+ s; live at position \d+$/),
    ]);
    const status = JSON.parse(
      (await run(['status', '--json', '--name=bureau_queue'])).out.join('\n'),
    ) as Array<{
      checkpoint: number;
      head: number;
    }>;
    expect(status[0]?.checkpoint).toBe(status[0]?.head);

    const verified = await run(['rebuild', '--verify', '--name', 'bureau_queue']);
    expect(verified).toMatchObject({
      code: 0,
      out: [expect.stringMatching(/^bureau_queue: identical \(40 rows at position \d+\)$/)],
    });
  });

  it('rebuilds every projection in one pass over the log with one progress bar, then verifies each identical', async () => {
    const rebuilt = await run(['rebuild']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toEqual(
      ['filing_summary', 'bureau_queue', 'public_registry', 'sla_dashboard', 'registry'].map((name) =>
        expect.stringMatching(
          new RegExp(`^${name}: rebuilt from [\\d,]+ events in [\\d.]+ s; live at position \\d+$`),
        ),
      ),
    );
    // One bar for the whole pass: in a log (not a terminal) its final line.
    const bar = /^rebuild 5 projections in one pass \[#+\] +100% /;
    expect(rebuilt.err).toEqual(process.stderr.isTTY ? [] : [expect.stringMatching(bar)]);

    const verified = await run(['rebuild', '--verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toEqual(
      ['filing_summary', 'bureau_queue', 'public_registry', 'sla_dashboard', 'registry'].map((name) =>
        expect.stringMatching(new RegExp(`^${name}: identical \\([\\d,]+ rows at position \\d+\\)$`)),
      ),
    );
  });

  it('--verify prints the differing rows and exits 1 when a live row was altered', async () => {
    await run(['rebuild', '--name', 'filing_summary']);
    const raw = new Database(join(dataDir, 'read-models.sqlite'));
    const victim = raw.prepare('SELECT filing_id FROM filing_summary ORDER BY filing_id LIMIT 1').get() as {
      filing_id: string;
    };
    raw
      .prepare("UPDATE filing_summary SET status = 'completed', stage = 'closed' WHERE filing_id = ?")
      .run(victim.filing_id);
    raw.close();

    const verified = await run(['rebuild', '--verify', '--name', 'filing_summary']);
    expect(verified.code).toBe(1);
    expect(verified.out[0]).toMatch(/^filing_summary: differs \(40 rows at position \d+\)$/);
    expect(verified.out[1]).toBe('  filing_summary: 1 row(s) only in live, 1 only in the rebuild');
    expect(verified.out[2]).toContain(`only in live   filing_summary {"filing_id":"${victim.filing_id}"`);
    expect(verified.out[3]).toContain(`only rebuilt   filing_summary {"filing_id":"${victim.filing_id}"`);

    const json = await run(['rebuild', '--verify', '--name', 'filing_summary', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out.join('\n'))).toEqual([
      expect.objectContaining({ projection: 'filing_summary', identical: false }),
    ]);
  });
});

describe('icp projections with DATABASE_URL set', () => {
  const saved = {
    dataDir: process.env.ICP_DATA_DIR,
    url: process.env.EVENT_STORE_URL,
    database: process.env.DATABASE_URL,
  };
  let dataDir: string;
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'icp-projections-cli-pg-'));
    process.env.ICP_DATA_DIR = dataDir;
    process.env.DATABASE_URL = await cluster.newDatabase();
    delete process.env.EVENT_STORE_URL;
    const log = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    await appendFilingHistories(log, generateFilingHistories({ count: 40, seed: 3 }));
    await log.close();
  });

  afterAll(async () => {
    for (const [name, value] of [
      ['ICP_DATA_DIR', saved.dataDir],
      ['EVENT_STORE_URL', saved.url],
      ['DATABASE_URL', saved.database],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
    await cluster?.stop();
  });

  it('rebuilds every projection on PostgreSQL and --verify finds each identical (no read-models.sqlite)', async () => {
    const rebuilt = await run(['rebuild']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toHaveLength(5);

    const verified = await run(['rebuild', '--verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toEqual(
      ['filing_summary', 'bureau_queue', 'public_registry', 'sla_dashboard', 'registry'].map((name) =>
        expect.stringMatching(new RegExp(`^${name}: identical \\([\\d,]+ rows at position \\d+\\)$`)),
      ),
    );
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(false);
  });
});
