import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeComplianceStoreContract } from '../../test/contracts/compliance-store.contract';
import { openSqliteComplianceStore } from './sqlite-compliance-store';

describeComplianceStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-compliance-store-'));
  const store = openSqliteComplianceStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
