import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeReadModelsContract } from '../../../test/contracts/read-models.contract';
import { READ_MODELS_FILE, SqliteReadModelStore } from './sqlite-read-model-store';

describeReadModelsContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-read-models-contract-'));
  return {
    open: async (projections) => SqliteReadModelStore.open(dir, projections),
    sql: async (statement, ...params) => {
      const db = new Database(join(dir, READ_MODELS_FILE));
      try {
        const prepared = db.prepare(statement);
        if (!prepared.reader) {
          prepared.run(...params);
          return [];
        }
        return prepared.all(...params) as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
