import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../infra/config/config';
import { freePort } from '../../infra/process/net';
import { type DevServer, startDevServer } from '../../infra/temporal/dev-server';
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';
import { DEADLINE_SWEEP_SCHEDULE_ID } from '../../workflows/compliance/sweep.definitions';
import { ensureDeadlineSweepSchedule } from './compliance-schedule';

/** The daily sweep's schedule on a real Temporal dev server (the test server has no schedules). */
describe('the compliance deadline-sweep schedule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-sweep-schedule-'));
  let server: DevServer;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    const cli = await resolveTemporalCli({ cacheDir: loadConfig().cacheDir });
    server = await startDevServer({
      cliPath: cli.path,
      dbFile: join(dir, 'temporal.sqlite'),
      port: await freePort(),
      namespace: 'default',
    });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created by the first worker to start and left alone by the next ones', async () => {
    expect(await ensureDeadlineSweepSchedule(client, 'icp-filing')).toBe(true);
    expect(await ensureDeadlineSweepSchedule(client, 'icp-filing')).toBe(false);
    const description = await client.schedule.getHandle(DEADLINE_SWEEP_SCHEDULE_ID).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars).toEqual([
      expect.objectContaining({
        hour: [{ start: 2, end: 2, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      }),
    ]);
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'deadlineSweepWorkflow',
      taskQueue: 'icp-filing',
    });
  });
});
