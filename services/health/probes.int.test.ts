import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startHttpApp } from '../../main/api/create-app';
import { type IcpConfig, loadConfig } from '../../infra/config/config';
import { freePort } from '../../infra/process/net';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
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

  async function start(
    overrides: Partial<IcpConfig>,
    dir = dataDir,
  ): Promise<(path: string) => Promise<Response>> {
    const closed = await freePort();
    const base = loadConfig({ ICP_DATA_DIR: dir, TEMPORAL_PORT: String(closed) }, dir);
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
      body: {
        status: 'ready',
        checks: { eventLog: 'up', readModels: 'up', temporal: 'down' },
        projector: 'active',
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      temporal: { ok: false },
      projector: 'active',
    });
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

  describe('with DATABASE_URL (several APIs with in-process projectors)', () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      cluster = await startPostgresCluster();
    });
    afterAll(async () => {
      for (const app of apps.splice(0)) await app.close();
      await cluster?.stop();
    });

    it('one API reports its projector active, the other standby; both ready', async () => {
      const database = { url: await cluster.newDatabase() };
      const first = await start({ database }, join(dataDir, 'host-a'));
      const active = await waitForProjector(first, 'active');
      const second = await start({ database }, join(dataDir, 'host-b'));
      const standby = await waitForProjector(second, 'standby');

      expect([active.status, standby.status]).toEqual([200, 200]);
      expect(await (await second('/health')).json()).toMatchObject({ projector: 'standby' });
      expect(await (await first('/health')).json()).toMatchObject({ projector: 'active' });
    });
  });
});

/** /readyz once it names `role` (the projector takes or misses the lease just after start-up). */
async function waitForProjector(
  get: (path: string) => Promise<Response>,
  role: string,
): Promise<{ status: number; projector: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await get('/readyz');
    const body = (await response.json()) as { projector: string };
    if (body.projector === role || Date.now() > deadline)
      return { status: response.status, projector: body.projector };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
