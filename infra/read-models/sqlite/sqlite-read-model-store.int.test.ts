import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeReadModelsContract } from '../../../test/contracts/read-models.contract';
import { loadChineseCalendar } from '../../calendar/chinese-holidays';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import { READ_MODEL_SCHEMA_VERSION } from '../read-model-tables';
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

describe('SqliteReadModelStore: a read-model file of an older schema', () => {
  it('is rebuilt empty at the current schema (kinds included), to be replayed from position 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-read-models-v3-'));
    try {
      const file = join(dir, READ_MODELS_FILE);
      const old = new Database(file);
      old.exec(`CREATE TABLE filing_summary (filing_id TEXT PRIMARY KEY, status TEXT NOT NULL) STRICT;
        INSERT INTO filing_summary VALUES ('f-old', 'completed');
        CREATE TABLE projection_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) STRICT;
        INSERT INTO projection_checkpoints VALUES ('filing_summary', 42);`);
      old.pragma('user_version = 3');
      old.close();

      const store = SqliteReadModelStore.open(dir, readModelProjections(loadChineseCalendar()));
      try {
        expect(await store.live('filing_summary').checkpoint()).toBe(0);
        expect(await store.getFiling('f-old')).toBeUndefined();
      } finally {
        await store.close();
      }
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(READ_MODEL_SCHEMA_VERSION);
        const columns = (table: string) =>
          db
            .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
            .all()
            .map((column) => column.name);
        expect(columns('filing_summary')).toEqual(
          expect.arrayContaining(['kind', 'target_subject_number', 'target_service_number']),
        );
        expect(columns('bureau_queue')).toEqual(
          expect.arrayContaining(['status', 'kind', 'target_subject_number', 'target_service_number']),
        );
        expect(columns('sla_filings')).toContain('kind');
        expect(columns('sla_stage_visits')).toContain('kind');
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
