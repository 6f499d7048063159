import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type {
  RegistryUpdateOutcome,
  RegistryUpdateRequest,
} from '../../activities/registry-updates/registry-update-request';

/** The registry's side of a change, cancellation or new access (activities/registry-updates/). */
interface RegistryUpdateActivities {
  applyFilingToRegistry(request: RegistryUpdateRequest): Promise<RegistryUpdateOutcome>;
}

// A worker that dies mid-activity is only noticed when the attempt's start-to-close timeout expires,
// so these are kept near the longest a healthy attempt takes: an append waits at most 5 s for the
// SQLite lock; the others are a calendar lookup, an SQLite row, a gateway call or an allocation that
// backs off under contention for at most a few seconds. Retries back off to 10 s at most, so a filing
// resumes soon after its worker is back. (Activity options are not part of replay.)
const { appendFilingEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
const { computeDeadline, sendSmsChallenge, checkSmsAnswer, allocateRegistrationNumber, notifyApplicant } =
  proxyActivities<Activities>({
    startToCloseTimeout: '20 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });

// Like the allocation: registry appends that back off under contention for a few seconds at most.
const { applyFilingToRegistry } = proxyActivities<RegistryUpdateActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** The append of a filing's events to its stream. */
export const appendActivity = { appendFilingEvents };

/** What the process waits on between its transitions. */
export const processActivities = {
  computeDeadline,
  sendSmsChallenge,
  checkSmsAnswer,
  allocateRegistrationNumber,
  applyFilingToRegistry,
  notifyApplicant,
};

// A notice waits for no step of the process: its attempts may take as long as a gateway needs, and
// its retries go on for a day (the outbox's idempotency key makes each retry a no-op once sent).
const { notifyOutcome } = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The applicant's notice of one outcome (`workflows/filing/outcome-notices.ts`). */
export const noticeActivity = { notifyOutcome };
