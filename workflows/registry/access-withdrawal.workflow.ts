import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { AccessWithdrawalInput, AccessWithdrawalOutcome } from './access-withdrawal.definitions';

// An append waits at most 5 s for the SQLite lock and backs off under contention for a few seconds;
// a notification is two outbox rows. Retries back off to 10 s at most.
const { withdrawServiceAccess, notifyAccessWithdrawn } = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * An ISP withdraws its access to a service (取消接入): ServiceAccessWithdrawn is recorded in the
 * service's stream, then the applicant of the service's latest filing is told by SMS and e-mail. No
 * SMS verification, no bureau review. Both activities are idempotent by the withdrawal id.
 */
export async function accessWithdrawalWorkflow(
  input: AccessWithdrawalInput,
): Promise<AccessWithdrawalOutcome> {
  const outcome = await withdrawServiceAccess({
    serviceNumber: input.serviceNumber,
    withdrawalId: input.withdrawalId,
    ispName: input.ispName,
    reason: input.reason,
    recordedById: input.recordedById,
    at: new Date().toISOString(),
  });
  if ('refused' in outcome) return outcome;
  const { channels } = await notifyAccessWithdrawn({
    serviceNumber: input.serviceNumber,
    withdrawalId: input.withdrawalId,
  });
  return { withdrawn: { ...outcome.withdrawn, reason: input.reason }, notified: channels };
}
