import { randomUUID } from 'node:crypto';
import { filingStreamId } from '../../events/filing/stream-ids';
import { PgIdempotencyKeys } from '../../infra/postgres/pg-idempotency-keys';
import { endsPool, openPgPool } from '../../infra/postgres/pg-pool';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { runKindsWorker } from '../../test/temporal/kinds-worker';
import { ProblemException } from '../http/problem-details';
import { FilingGateway } from './filing-gateway';
import { FilingsService } from './filings.service';
import { IdentifierClaims } from './identifier-claims';

type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** valid-app with identifiers of its own, so filings of different tests never claim the same ones. */
function appForm(tag: string): Editable {
  const form = loadValidForm('valid-app') as Editable;
  form.app.platforms = form.app.platforms.map((p: Editable) =>
    p.os === 'ios'
      ? { ...p, bundleId: `com.example.ledger.${tag}` }
      : { ...p, packageName: `com.example.${p.os}.${tag}` },
  );
  return form;
}

/** Two API hosts: each its own FilingsService and its own pool on one PostgreSQL database. */
describe('Idempotency-Keys shared by two API hosts through PostgreSQL', () => {
  let cluster: PostgresCluster;
  let harness: FilingHarness;
  let worker: { stop(): Promise<void> };
  const keyStores: PgIdempotencyKeys[] = [];
  let hosts: FilingsService[];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    harness = await FilingHarness.start();
    worker = await runKindsWorker(harness);
    hosts = await Promise.all(
      [1, 2].map(async () => {
        const pool = openPgPool(cluster.url, { max: 4 });
        const keys = await PgIdempotencyKeys.open(pool, endsPool(pool));
        keyStores.push(keys);
        const gateway = new FilingGateway(
          { address: '', namespace: 'default', mode: 'embedded', taskQueue: harness.taskQueue },
          harness.client,
        );
        return new FilingsService(gateway, keys, harness.eventLog, new IdentifierClaims(harness.eventLog));
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(keyStores.map((keys) => keys.close()));
    await worker?.stop();
    await harness?.stop();
    await cluster?.stop();
  });

  it('starts one filing when one key and body reach both hosts at once, and answers both with it', async () => {
    const key = `key-${randomUUID()}`;
    const form = appForm(`pg${randomUUID().slice(0, 8)}`);
    const [first, second] = await Promise.all(hosts.map((host) => host.submit(PLATFORM, key, form)));
    expect(second!.filingId).toBe(first!.filingId);
    const submitted = (await harness.eventLog.readStream(filingStreamId(first!.filingId))).filter(
      (event) => event.type === 'FilingSubmitted',
    );
    expect(submitted).toHaveLength(1);

    const retried = await hosts[1]!.submit(PLATFORM, key, form);
    expect(retried.filingId).toBe(first!.filingId);
  });

  it('refuses the key with another body on the other host with 409, starting nothing', async () => {
    const key = `key-${randomUUID()}`;
    await hosts[0]!.submit(PLATFORM, key, appForm(`pg${randomUUID().slice(0, 8)}`));
    const before = await harness.eventLog.headPosition();
    const other = appForm(`pg${randomUUID().slice(0, 8)}`);
    const attempts: (() => Promise<unknown>)[] = [
      () => hosts[1]!.submit(PLATFORM, key, other),
      () => hosts[1]!.earlierSubmission(PLATFORM, key, other),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({ status: 409 });
    }
    expect(await harness.eventLog.headPosition()).toBe(before);
  });
});
