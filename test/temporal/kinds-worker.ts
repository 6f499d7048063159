import {
  DefaultLogger,
  type WorkflowBundleWithSourceMap,
  bundleWorkflowCode,
  Worker,
} from '@temporalio/worker';
import { createActivities } from '../../activities';
import type {
  RegistryUpdateOutcome,
  RegistryUpdateRequest,
} from '../../activities/registry-updates/registry-update-request';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { registryUpdateStandIn } from '../support/registry-update-stand-in';
import type { FilingHarness } from './filing-harness';

type RegistryUpdates = {
  applyFilingToRegistry(request: RegistryUpdateRequest): Promise<RegistryUpdateOutcome>;
};

/**
 * A worker on the harness's task queue with the production activities, and the registry's
 * `applyFilingToRegistry`: the production one when `createActivities` provides it, else the
 * stand-in writing the same registry events to the same real log. Stop it before the harness.
 */
export async function runKindsWorker(
  harness: FilingHarness,
  bundle?: WorkflowBundleWithSourceMap,
): Promise<{ stop(): Promise<void> }> {
  const production = createActivities(harness.deps) as ReturnType<typeof createActivities> &
    Partial<RegistryUpdates>;
  const worker = await Worker.create({
    connection: harness.env.nativeConnection,
    namespace: harness.config.temporal.namespace,
    taskQueue: harness.taskQueue,
    identity: harness.deps.workerIdentity,
    dataConverter: filingDataConverter(harness.config),
    workflowBundle:
      bundle ??
      (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })),
    activities: { ...registryUpdateStandIn(harness.eventLog), ...production },
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
