import { describeComplianceStoreContract } from '../../test/contracts/compliance-store.contract';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { endsPool, openPgPool } from '../postgres/pg-pool';
import { PgComplianceStore } from './pg-compliance-store';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describeComplianceStoreContract('postgres', async () => {
  const pool = openPgPool(await cluster.newDatabase(), { max: 4 });
  const store = await PgComplianceStore.open(pool, endsPool(pool));
  return { store, cleanup: () => store.close() };
});
