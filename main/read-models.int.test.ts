import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { PgReadModelStore } from '../infra/read-models/postgres/pg-read-model-store';
import { SqliteReadModelStore } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { type PostgresCluster, startPostgresCluster } from '../test/support/postgres-cluster';
import { openConfiguredReadModels } from './read-models';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('the read models a host opens', () => {
  it('are on PostgreSQL when DATABASE_URL is set (described without the password, nothing in the data directory), else in read-models.sqlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-read-models-config-'));
    try {
      const url = (await cluster.newDatabase()).replace('postgres@', 'postgres:hunter2@');
      const shared = await openConfiguredReadModels({ dataDir, database: { url } }, loadChineseCalendar());
      expect(shared).toBeInstanceOf(PgReadModelStore);
      expect(shared.description).toMatch(/^postgres postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\//);
      expect(shared.description).not.toContain('hunter2');
      expect(await shared.lowestCheckpoint()).toBe(0);
      await shared.close();
      expect(readdirSync(dataDir)).toEqual([]);

      const local = await openConfiguredReadModels({ dataDir }, loadChineseCalendar());
      expect(local).toBeInstanceOf(SqliteReadModelStore);
      await local.close();
      expect(readdirSync(dataDir)).toContain('read-models.sqlite');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
