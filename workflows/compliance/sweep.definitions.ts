import type { ComplianceRecorder } from '../../events/compliance/compliance-envelope';
import { sweepStreamId } from '../../events/compliance/compliance-streams';

/** The daily schedule that sweeps as of the day (China time) it fires. */
export const DEADLINE_SWEEP_SCHEDULE_ID = 'compliance-deadline-sweep';

export interface DeadlineSweepInput {
  /** China date to sweep as of; absent (the schedule): the day the workflow starts. */
  asOf?: string;
  requestedBy?: ComplianceRecorder;
}

/** One run per date at a time: a second request for the same date finds the running one. */
export function deadlineSweepWorkflowId(asOf: string): string {
  return sweepStreamId(asOf);
}
