import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIdempotencyKeysContract } from '../../test/contracts/idempotency-keys.contract';
import { IdempotencyKeys } from './idempotency-keys';

describeIdempotencyKeysContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-idempotency-keys-'));
  const file = join(dir, 'api.sqlite');
  const opened = [new IdempotencyKeys(file)];
  return {
    keys: opened[0]!,
    another: async () => {
      const keys = new IdempotencyKeys(file);
      opened.push(keys);
      return keys;
    },
    cleanup: async () => {
      await Promise.all(opened.map((keys) => keys.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
