import { Context } from '@temporalio/activity';
import type { ComplianceRecorder } from '../../../events/compliance/compliance-envelope';
import type { SweepSummary } from '../../../events/compliance/inventory/sweep';
import { type DeadlineSweepDeps, runDeadlineSweep } from './deadline-sweep';

export interface SweepInventoriesRequest {
  asOf: string;
  /** Who asked: a bureau, an admin, or the schedule (`system`). */
  requestedBy: ComplianceRecorder;
  /** The workflow that runs the sweep. */
  workflowId: string;
}

/** The sweep for the worker: it heartbeats its progress, so a lost worker's sweep is retried elsewhere. */
export function createSweepActivities(deps: { compliance?: DeadlineSweepDeps }) {
  return {
    async sweepInventories(request: SweepInventoriesRequest): Promise<SweepSummary> {
      if (!deps.compliance) throw new Error('this worker has no compliance store: the sweep cannot run');
      return runDeadlineSweep(deps.compliance, request.asOf, {
        recordedBy: request.requestedBy,
        causationId: request.workflowId,
        onProgress: (done, total) => Context.current().heartbeat({ done, total }),
      });
    },
  };
}
