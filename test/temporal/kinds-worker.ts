import {
  DefaultLogger,
  type WorkflowBundleWithSourceMap,
  bundleWorkflowCode,
  Worker,
} from '@temporalio/worker';
import { createActivities } from '../../activities';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import type { FilingHarness } from './filing-harness';

/** A worker on the harness's task queue with the production activities. Stop it before the harness. */
export async function runKindsWorker(
  harness: FilingHarness,
  bundle?: WorkflowBundleWithSourceMap,
): Promise<{ stop(): Promise<void> }> {
  const worker = await Worker.create({
    connection: harness.env.nativeConnection,
    namespace: harness.config.temporal.namespace,
    taskQueue: harness.taskQueue,
    identity: harness.deps.workerIdentity,
    dataConverter: filingDataConverter(harness.config),
    workflowBundle:
      bundle ??
      (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })),
    activities: createActivities(harness.deps),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
