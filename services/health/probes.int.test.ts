import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startHttpApp } from '../../main/api/create-app';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { freePort } from '../../infra/process/net';
import { problemType } from '../http/problem-details';

/**
 * The load balancer's probes on the real API (SQLite event log and read models) whose Temporal
 * connection points at a closed port: `/livez` 200, `/readyz` 200 with Temporal reported down,
 * `/health` 503 as before; with an event log that does not answer, `/readyz` 503 problem+json.
 */
describe('/livez and /readyz', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-probes-'));
  const apps: INestApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(overrides: Partial<IcpConfig>): Promise<(path: string) => Promise<Response>> {
    const closed = await freePort();
    const base = loadConfig({ ICP_DATA_DIR: dataDir, TEMPORAL_PORT: String(closed) }, dataDir);
    const config: IcpConfig = { ...base, http: { port: 0, host: '127.0.0.1' }, ...overrides };
    const app = await startHttpApp(config, { worker: false }, { trustProxy: undefined });
    apps.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    return (path) => fetch(`http://127.0.0.1:${port}${path}`);
  }

  it('with Temporal unreachable: /livez 200, /readyz 200 naming Temporal down, /health 503', async () => {
    const get = await start({});

    const live = await get('/livez');
    expect({ status: live.status, body: await live.json() }).toEqual({
      status: 200,
      body: { status: 'alive' },
    });

    const started = Date.now();
    const ready = await get('/readyz');
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ready', checks: { eventLog: 'up', readModels: 'up', temporal: 'down' } },
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', temporal: { ok: false } });
  });

  it('with an event log that does not answer: /readyz 503 problem+json saying which, /livez 200', async () => {
    const get = await start({
      eventLog: { url: `esdb://127.0.0.1:${await freePort()}?tls=false` },
      projector: 'external',
    });

    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await ready.json()).toEqual({
      type: problemType('not-ready'),
      title: 'Service Unavailable',
      status: 503,
      detail: 'the event log or the read models do not answer',
      checks: { eventLog: 'down', readModels: 'up', temporal: 'down' },
      requestId: ready.headers.get('x-request-id'),
    });
    expect((await get('/livez')).status).toBe(200);
  });
});
