import { type Client, ScheduleAlreadyRunning } from '@temporalio/client';
import type { deadlineSweepWorkflow } from '../../workflows/compliance/sweep.workflow';
import { DEADLINE_SWEEP_SCHEDULE_ID } from '../../workflows/compliance/sweep.definitions';

/**
 * The daily deadline sweep (02:00 China time, as of that day), created by each worker at start if it
 * is not there yet: an existing schedule is left as the operators may have tuned (or paused) it.
 * @returns whether this call created it.
 */
export async function ensureDeadlineSweepSchedule(client: Client, taskQueue: string): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: DEADLINE_SWEEP_SCHEDULE_ID,
      spec: { calendars: [{ hour: 2, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: 'deadlineSweepWorkflow' satisfies (typeof deadlineSweepWorkflow)['name'],
        // Temporal appends the scheduled time, so each day's run has an id of its own.
        workflowId: DEADLINE_SWEEP_SCHEDULE_ID,
        taskQueue,
        args: [{}],
      },
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}
