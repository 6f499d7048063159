import type { FilingState } from '../../events/filing/filing-state';
import type { FilingOutcome, FilingWorkflowInput } from './filing.definitions';
import { handleMessages } from './filing.handlers';
import { FilingRun } from './filing-run';
import {
  awaitPlatform,
  awaitReview,
  awaitSmsAnswer,
  nothing,
  notifyApplicant,
  publishRegistration,
  sendSmsChallenge,
  settleApproval,
  startBureauReview,
  startPlatformReview,
  type Steps,
} from './filing.steps';

/** The process, status by status: what the run does until the filing moves on. */
const STEPS: Steps = {
  not_submitted: nothing,
  // platform review
  submitted: startPlatformReview,
  platform_review: awaitReview,
  returned_for_correction: awaitPlatform,
  // SMS verification of the app's person in charge
  platform_approved: sendSmsChallenge,
  sms_verification: awaitSmsAnswer,
  returned_to_platform: awaitPlatform,
  // bureau review
  sms_verified: startBureauReview,
  bureau_review: awaitReview,
  // issuance (a new registration), or the registry's update (the other kinds)
  bureau_approved: settleApproval,
  registered: publishRegistration,
  published: notifyApplicant,
  // closed
  completed: nothing,
  rejected: nothing,
  withdrawn: nothing,
};

function advance(run: FilingRun): Promise<void> {
  const s = run.state;
  return (STEPS[s.status] as (run: FilingRun, s: FilingState) => Promise<void>)(run, s);
}

/**
 * One filing from submission to an issued number, or for a change, cancellation or new access to its
 * application to the registry (or until it is rejected or withdrawn).
 */
export async function filingWorkflow(input: FilingWorkflowInput): Promise<FilingOutcome> {
  const run = new FilingRun(input);
  handleMessages(run);
  await run.submit();
  while (!run.closed) await advance(run);
  await run.handlersFinished();
  return run.outcome();
}
