import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { reportWorkerHealth } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds' },
});

export interface SystemCheckResult {
  taskQueue: string;
  workerIdentity: string;
  eventLog: { backend: string; ok: boolean; error?: string };
}

/**
 * A round trip through the whole engine — client → Temporal → worker → activity → event log —
 * used by `icp doctor` and the end-to-end tests to prove a started system really runs workflows.
 */
export async function systemCheckWorkflow(): Promise<SystemCheckResult> {
  const report = await reportWorkerHealth();
  return { taskQueue: workflowInfo().taskQueue, ...report };
}
