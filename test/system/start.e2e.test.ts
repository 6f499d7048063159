import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../infra/process/net';
import type { SystemCheckResult } from '../../workflows';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { IcpProcess, isAlive, isolatedEnv } from './icp-process';

const READY_LINE = 'Press Ctrl+C to stop.';
const FIRST_START_BUDGET_MS = 120_000;

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
}

describe('`icp start` (npm start) on the embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-start-'));
  let env: NodeJS.ProcessEnv;
  let ports: { api: number; temporal: number; ui: number };
  const systemCheckId = `system-check-${randomUUID()}`;

  beforeAll(async () => {
    ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
    env = isolatedEnv({
      ICP_DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
    });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const withClient = async <T>(body: (client: Client) => Promise<T>): Promise<T> => {
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      return await body(new Client({ connection, dataConverter: filingDataConverter({ dataDir }) }));
    } finally {
      await connection.close();
    }
  };

  it('starts Temporal, a worker and the API, runs a workflow, and stops everything on SIGTERM', async () => {
    const system = new IcpProcess(['start'], env);
    try {
      await system.waitForOutput(READY_LINE, FIRST_START_BUDGET_MS);
      expect(system.stdout).toContain(`API          http://127.0.0.1:${ports.api}`);
      expect(system.stdout).toContain(`Console      http://127.0.0.1:${ports.api}/console`);
      expect(system.stdout).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);

      const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        temporal: { connected: true, mode: 'embedded', address: `127.0.0.1:${ports.temporal}` },
        eventLog: { ok: true },
      });

      const result = await withClient((client) =>
        client.workflow.execute<() => Promise<SystemCheckResult>>('systemCheckWorkflow', {
          taskQueue: 'icp-filing',
          workflowId: systemCheckId,
        }),
      );
      expect(result).toMatchObject({ taskQueue: 'icp-filing', eventLog: { backend: 'sqlite', ok: true } });

      const children = childPids(system.pid);
      expect(children.length).toBeGreaterThan(0);
      expect(await system.stop('SIGTERM')).toBe(0);
      expect(children.filter(isAlive)).toEqual([]);
    } finally {
      await system.stop('SIGKILL');
    }
  });

  it('resumes the persisted state on a second start', async () => {
    const system = new IcpProcess(['start'], env);
    try {
      await system.waitForOutput(READY_LINE, FIRST_START_BUDGET_MS);
      const status = await withClient(
        async (client) => (await client.workflow.getHandle(systemCheckId).describe()).status.name,
      );
      expect(status).toBe('COMPLETED');
      expect(await system.stop('SIGINT')).toBe(0);
    } finally {
      await system.stop('SIGKILL');
    }
  });
});
