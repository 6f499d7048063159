import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startHttpApp } from '../../main/api/create-app';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { loadTrustProxy } from '../../infra/config/trust-proxy';
import { createTimeSkippingEnv } from '../../test/temporal/time-skipping-env';
import { SMS_ANSWERS_PER_CLIENT as PER_CLIENT } from './sms-answer-rate-limits';

/**
 * Two applicants behind one proxy (both reach the API from 127.0.0.1, each named in
 * X-Forwarded-For), against the real API and Temporal's test server. With ICP_TRUST_PROXY naming the
 * proxy, each has a limit of its own; without it, they share the proxy's.
 */
describe('the per-client SMS rate limit behind a proxy (ICP_TRUST_PROXY)', () => {
  let temporal: TestWorkflowEnvironment;
  const dirs: string[] = [];
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    temporal = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await temporal?.teardown();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function api(trustProxy: string | undefined) {
    const dataDir = mkdtempSync(join(tmpdir(), 'icp-client-address-'));
    dirs.push(dataDir);
    const base = loadConfig({ ICP_DATA_DIR: dataDir }, dataDir);
    const config: IcpConfig = {
      ...base,
      http: { port: 0, host: '127.0.0.1' },
      temporal: { ...base.temporal, address: temporal.address },
    };
    const app = await startHttpApp(
      config,
      { worker: false },
      { trustProxy: loadTrustProxy({ ICP_TRUST_PROXY: trustProxy }) },
    );
    apps.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    /** One answer for a filing of its own each time, so only the per-client limit can be met. */
    return async (client: string): Promise<number> => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/filings/${randomUUID()}/sms-verification`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ code: '123456', idLast6: '12345X' }),
      });
      await response.arrayBuffer();
      return response.status;
    };
  }

  async function exhaust(send: (client: string) => Promise<number>, client: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < PER_CLIENT; attempt += 1) statuses.push(await send(client));
    return statuses;
  }

  it.each([['loopback'], ['1'], ['127.0.0.1/32']])(
    'trusted (ICP_TRUST_PROXY=%s): each client behind the proxy is limited on its own',
    async (trustProxy) => {
      const send = await api(trustProxy);

      expect(new Set(await exhaust(send, '203.0.113.1'))).toEqual(new Set([404]));
      expect(await send('203.0.113.1')).toBe(429);
      expect(await send('203.0.113.2')).toBe(404);
    },
  );

  it('not trusted (unset): every client behind the proxy shares its address, and its limit', async () => {
    const send = await api(undefined);

    expect(new Set(await exhaust(send, '203.0.113.1'))).toEqual(new Set([404]));
    expect(await send('203.0.113.1')).toBe(429);
    expect(await send('203.0.113.2')).toBe(429);
  });
});
