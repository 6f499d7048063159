import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities';
import type { IcpConfig } from '../../infra/config/config';
import { filingDataConverter } from '../../infra/temporal/payload-keys';

type WorkflowSource = Pick<WorkerOptions, 'workflowBundle'> | Pick<WorkerOptions, 'workflowsPath'>;

export const WORKFLOWS_PATH = require.resolve('../../workflows');

/** The one place that wires activities to their dependencies. */
export function createWorker(
  config: IcpConfig,
  connection: NativeConnection,
  deps: ActivityDeps,
  workflows: WorkflowSource = { workflowsPath: WORKFLOWS_PATH },
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    identity: deps.workerIdentity,
    // Payloads are encrypted before they leave the process (no personal data in Temporal in clear).
    dataConverter: filingDataConverter(config),
    ...workflows,
    activities: createActivities(deps),
    // Bounded memory: past the cache, the least recently used workflow replays from history on its
    // next task (bench/memory.ts measures what that costs).
    maxCachedWorkflows: config.worker.cachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.workflowTasks,
    maxConcurrentActivityTaskExecutions: config.worker.activities,
  });
}
