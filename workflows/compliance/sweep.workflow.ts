import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { SweepSummary } from '../../events/compliance/inventory/sweep';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import type { DeadlineSweepInput } from './sweep.definitions';

// 100,000 lines against a million services takes well under a minute; the heartbeat notices a lost
// worker long before the start-to-close timeout.
const { sweepInventories } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
  },
});

/**
 * The deadline sweep as of a date (the bureau's request, or the daily schedule as of its day): every
 * reported service not registered by its deadline, stored and recorded by one idempotent activity.
 */
export async function deadlineSweepWorkflow(input: DeadlineSweepInput = {}): Promise<SweepSummary> {
  const asOf = input.asOf ?? chinaDateOfEpochMs(Date.now());
  return sweepInventories({
    asOf,
    requestedBy: input.requestedBy ?? { role: 'system', id: 'deadline-sweep-schedule' },
    workflowId: workflowInfo().workflowId,
  });
}
