import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../events/filing/actor';
import type { FilingCommand } from '../../events/filing/filing-commands';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import {
  bureauReviewUpdate,
  correctionUpdate,
  platformReviewUpdate,
  resubmissionUpdate,
  smsResendUpdate,
  smsVerificationUpdate,
  statusQuery,
  submittedUpdate,
  withdrawalUpdate,
} from './filing.definitions';
import type { FilingRun } from './filing-run';

/** A human decision: validated on the state it arrives in, then decided again under the append lock. */
function onDecision<A extends { actor: Actor }>(
  run: FilingRun,
  update: UpdateDefinition<FilingStatusView, [A]>,
  command: (args: A) => FilingCommand,
): void {
  setHandler(update, (args) => run.apply(command(args)), {
    validator: (args) => run.validate(command(args)),
  });
}

/** The filing's query and updates: what callers read, and every decision they may send. */
export function handleMessages(run: FilingRun): void {
  setHandler(statusQuery, () => run.view());
  setHandler(submittedUpdate, () => run.submitted(), { validator: () => run.refuseWhileSettling() });
  onDecision(run, platformReviewUpdate, ({ actor, decision, reasons, fieldReasons }) => ({
    type: 'ReviewAsPlatform',
    actor,
    decision,
    reasons,
    fieldReasons,
  }));
  onDecision(run, correctionUpdate, ({ actor, form }) => ({
    type: 'CorrectFiling',
    actor,
    form,
    correctedOn: chinaDateOfEpochMs(Date.now()),
  }));
  onDecision(run, resubmissionUpdate, (args) => ({ type: 'ResubmitFiling', ...args }));
  onDecision(run, withdrawalUpdate, (args) => ({ type: 'WithdrawFiling', ...args }));
  onDecision(run, bureauReviewUpdate, ({ actor, decision, reasons, fieldReasons }) => ({
    type: 'ReviewAsBureau',
    actor,
    decision,
    reasons,
    fieldReasons,
  }));
  setHandler(smsResendUpdate, ({ actor }) => run.requestSmsResend(actor), {
    validator: ({ actor }) => run.validate(run.smsResend(actor, 'requested')),
  });
  setHandler(smsVerificationUpdate, ({ actor, sealedAnswer }) => run.checkSmsAnswer(actor, sealedAnswer), {
    validator: ({ actor }) => run.validate(run.smsCheck(actor)),
  });
}
