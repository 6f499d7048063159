import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import {
  verificationWindowWorkflow,
  verifiedSignal,
} from '../fixtures/workflows/verification-window.workflow';
import { createTimeSkippingEnv } from './time-skipping-env';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Java time-skipping test server provisioned by the project', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;
  const taskQueue = `time-skipping-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../fixtures/workflows/verification-window.workflow'),
      logger: new DefaultLogger('WARN'),
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const withWorker = async <T>(body: () => Promise<T>): Promise<T> => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle });
    return worker.runUntil(body());
  };

  it('lets a 24-hour window expire in seconds of wall time', async () => {
    const before = await env.currentTimeMs();
    const outcome = await withWorker(() =>
      env.client.workflow.execute(verificationWindowWorkflow, {
        args: [24],
        taskQueue,
        workflowId: `window-${randomUUID()}`,
      }),
    );
    const skipped = (await env.currentTimeMs()) - before;

    expect(outcome).toBe('expired');
    expect(skipped).toBeGreaterThanOrEqual(DAY_MS);
  });

  it('keeps the window open for a verification that arrives at hour 23', async () => {
    const outcome = await withWorker(async () => {
      const handle = await env.client.workflow.start(verificationWindowWorkflow, {
        args: [24],
        taskQueue,
        workflowId: `window-${randomUUID()}`,
      });
      await env.sleep('23 hours');
      await handle.signal(verifiedSignal);
      return handle.result();
    });

    expect(outcome).toBe('verified');
  });
});
