import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startHttpApp } from '../../main/api/create-app';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { loadTrustProxy } from '../../infra/config/trust-proxy';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { createTimeSkippingEnv } from '../../test/temporal/time-skipping-env';
import { SMS_ANSWERS_PER_FILING } from './sms-answer-rate-limits';

/** The SMS answer key every host shares (several hosts take their secrets from the environment). */
const SHARED_SECRET = 'ICP_SECRET_SMS_ANSWER';

/**
 * Two API hosts with data directories of their own on one PostgreSQL database (each its own pool),
 * against Temporal's test server: answers for one filing sent to either host meet one per-filing limit.
 */
describe('the per-filing SMS rate limit shared by two API hosts through PostgreSQL', () => {
  let cluster: PostgresCluster;
  let temporal: TestWorkflowEnvironment;
  const dirs: string[] = [];
  const apps: INestApplication[] = [];
  let clients = 0;
  const secretBefore = process.env[SHARED_SECRET];

  beforeAll(async () => {
    process.env[SHARED_SECRET] = randomBytes(32).toString('hex');
    [cluster, temporal] = await Promise.all([startPostgresCluster(), createTimeSkippingEnv()]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await temporal?.teardown();
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (secretBefore === undefined) delete process.env[SHARED_SECRET];
    else process.env[SHARED_SECRET] = secretBefore;
  });

  /** An API host; its own application_name gives it a pool of its own, as on another machine. */
  async function host(name: string) {
    const dataDir = mkdtempSync(join(tmpdir(), `icp-rate-limits-${name}-`));
    dirs.push(dataDir);
    const base = loadConfig({ ICP_DATA_DIR: dataDir }, dataDir);
    const config: IcpConfig = {
      ...base,
      http: { port: 0, host: '127.0.0.1' },
      temporal: { ...base.temporal, address: temporal.address },
      database: { url: `${cluster.url}?application_name=${name}` },
    };
    const app = await startHttpApp(
      config,
      { worker: false },
      { trustProxy: loadTrustProxy({ ICP_TRUST_PROXY: 'loopback' }) },
    );
    apps.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    /** One answer from a client of its own each time, so only the per-filing limit can be met. */
    return async (filingId: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/filings/${filingId}/sms-verification`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `198.51.100.${(clients += 1)}`,
        },
        body: JSON.stringify({ code: '123456', idLast6: '12345X' }),
      });
      await response.arrayBuffer();
      return { status: response.status, retryAfter: response.headers.get('retry-after') };
    };
  }

  it('answers 429 with Retry-After on either host once the answers sent to both reach the limit', async () => {
    const hosts = [await host('host-a'), await host('host-b')];
    const filingId = randomUUID();

    const statuses: number[] = [];
    for (let i = 0; i < SMS_ANSWERS_PER_FILING; i += 1) statuses.push((await hosts[i % 2]!(filingId)).status);
    expect(new Set(statuses)).toEqual(new Set([404]));

    for (const send of hosts) {
      const refused = await send(filingId);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    }
    expect((await hosts[0]!(randomUUID())).status).toBe(404);
  });
});
