import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFilingHistories, generateFilingHistories } from '../../../test/support/filing-histories';
import { rebuildProjection, verifyProjection } from '../../../services/projections/rebuild';
import { SqliteEventLog } from '../../event-log/sqlite/sqlite-event-log';
import { describeReadModelsContract } from '../../../test/contracts/read-models.contract';
import { type PostgresCluster, startPostgresCluster } from '../../../test/support/postgres-cluster';
import { loadChineseCalendar } from '../../calendar/chinese-holidays';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import {
  PROJECTION_NAMES,
  type ReadModelProjections,
  RebuildInProgressError,
} from '../../../events/ports/read-models.port';
import { endsPool, openPgPool } from '../../postgres/pg-pool';
import { READ_MODEL_SCHEMA_VERSION } from '../read-model-tables';
import { PgReadModelStore } from './pg-read-model-store';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Every store opened on the database of the fixture has a pool of its own, as another host would. */
async function openStore(
  url: string,
  projections: ReadModelProjections = readModelProjections(loadChineseCalendar()),
): Promise<PgReadModelStore> {
  const pool = openPgPool(url, { max: 4 });
  try {
    return await PgReadModelStore.open(pool, projections, {
      description: 'postgres (test)',
      ...endsPool(pool),
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
}

describeReadModelsContract('postgres', async () => {
  const url = await cluster.newDatabase();
  return {
    open: async (projections) => openStore(url, projections),
    sql: async (statement, ...params) => {
      const pool = openPgPool(url, { max: 1 });
      try {
        let index = 0;
        const text = statement.replace(/\?/g, () => `$${(index += 1)}`);
        return (await pool.query(text, [...params])).rows as Record<string, unknown>[];
      } finally {
        await pool.end();
      }
    },
    cleanup: async () => undefined,
  };
});

describe('PgReadModelStore on two hosts sharing one database', () => {
  let dir: string;
  let log: SqliteEventLog;
  let url: string;
  let hosts: PgReadModelStore[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-pg-read-models-hosts-'));
    log = new SqliteEventLog(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
    await appendFilingHistories(log, generateFilingHistories({ count: 40, seed: 11 }));
    url = await cluster.newDatabase();
    hosts = [await openStore(url), await openStore(url)];
  });
  afterAll(async () => {
    for (const host of hosts ?? []) await host.close();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply an event delivered to both hosts once, and both answer with the same rows', async () => {
    const [first, second] = hosts as [PgReadModelStore, PgReadModelStore];
    const events = await log.readAll({ fromPosition: 0 });
    for (const name of PROJECTION_NAMES) {
      const outcomes = await Promise.all(hosts.map((host) => host.live(name).applyBatch(events)));
      expect(outcomes.reduce((sum, outcome) => sum + outcome.applied, 0)).toBe(events.length);
    }
    expect(await second.lowestCheckpoint()).toBe(events.at(-1)?.position);
    const everything = { limit: 200 };
    expect((await first.listFilings(everything)).items).toHaveLength(40);
    expect(await second.listFilings(everything)).toEqual(await first.listFilings(everything));
    expect(await second.slaDashboard({})).toEqual(await first.slaDashboard({}));
    for (const name of PROJECTION_NAMES) {
      expect((await verifyProjection({ eventLog: log, store: second, name })).identical).toBe(true);
    }
  });

  it('refuse a rebuild of a projection while the other host is rebuilding it, and allow it afterwards', async () => {
    const [first, second] = hosts as [PgReadModelStore, PgReadModelStore];
    const underWay = await first.openRebuild('filing_summary');
    try {
      await expect(second.openRebuild('filing_summary')).rejects.toThrow(RebuildInProgressError);
      await expect(second.openRebuild('filing_summary')).rejects.toThrow(/already being rebuilt by process/);
      const another = await second.openRebuild('bureau_queue');
      await another.discard();
    } finally {
      await underWay.discard();
    }
    const outcome = await rebuildProjection({ eventLog: log, store: second, name: 'filing_summary' });
    expect(outcome.checkpoint).toBe(await log.headPosition());
    expect((await verifyProjection({ eventLog: log, store: first, name: 'filing_summary' })).identical).toBe(
      true,
    );
  });
});

describe('PgReadModelStore schema', () => {
  it('opens concurrently, recreates the tables empty on a schema version change and refuses a newer one', async () => {
    const url = await cluster.newDatabase();
    const opened = await Promise.all([1, 2, 3].map(() => openStore(url)));
    await opened[0]!.live('filing_summary').advanceCheckpoint(42);
    expect(await opened[1]!.live('filing_summary').checkpoint()).toBe(42);
    await Promise.all(opened.map((store) => store.close()));

    const pool = openPgPool(url, { max: 1 });
    try {
      await pool.query("UPDATE icp_schema_migrations SET version = 3 WHERE store = 'read-models'");
      const upgraded = await openStore(url);
      expect(await upgraded.live('filing_summary').checkpoint()).toBe(0);
      await upgraded.close();

      await pool.query("INSERT INTO icp_schema_migrations (store, version) VALUES ('read-models', $1)", [
        READ_MODEL_SCHEMA_VERSION + 1,
      ]);
      await expect(openStore(url)).rejects.toThrow(
        `schema version ${READ_MODEL_SCHEMA_VERSION + 1}, newer than this build supports`,
      );
    } finally {
      await pool.end();
    }
  });
});
