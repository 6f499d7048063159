import type { Decider } from '../command-rules';
import { FilingDomainError } from '../filing-errors';
import type { FilingStatus } from '../filing-state';
import {
  provinceOf,
  reasonsOf,
  requireScope,
  requireStatus,
  submittedState,
  validForm,
  withReasons,
} from './guards';

/** The platform's commands on the filing itself: submit, correct, resubmit, withdraw. */

export const decideSubmitFiling: Decider<'SubmitFiling'> = (command, state) => {
  const { actor } = command;
  requireStatus(state, ['not_submitted'], 'submitting');
  if (!actor.platformId) throw new FilingDomainError('forbidden_role', 'a platform actor needs a platformId');
  const form = validForm(command.form, command.submittedOn);
  return [
    {
      type: 'FilingSubmitted',
      data: {
        filingId: command.filingId,
        platformId: actor.platformId,
        province: provinceOf(form),
        serviceType: form.serviceType,
        appName: form.app.name,
        form,
      },
    },
  ];
};

export const decideCorrectFiling: Decider<'CorrectFiling'> = (command, state) => {
  const submitted = submittedState(state, 'a correction');
  requireScope(command.actor, submitted);
  requireStatus(state, ['returned_for_correction'], 'a correction');
  const form = validForm(command.form, command.correctedOn);
  if (provinceOf(form) !== submitted.province || form.serviceType !== submitted.serviceType) {
    throw new FilingDomainError(
      'invalid_command',
      'a correction may not change the province or the service type',
      {
        field: 'form',
        rule: 'immutable_on_correction',
      },
    );
  }
  return [{ type: 'FilingCorrected', data: { form, appName: form.app.name } }];
};

export const decideResubmitFiling: Decider<'ResubmitFiling'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'a resubmission'));
  requireStatus(state, ['returned_to_platform'], 'a resubmission');
  return [{ type: 'FilingResubmitted', data: withReasons(reasonsOf(command.reasons, false, 'resubmit')) }];
};

/** Until the bureau decides, a platform may take its filing back. */
const WITHDRAWABLE: readonly FilingStatus[] = [
  'submitted',
  'platform_review',
  'returned_for_correction',
  'platform_approved',
  'sms_verification',
  'returned_to_platform',
  'sms_verified',
  'bureau_review',
];

export const decideWithdrawFiling: Decider<'WithdrawFiling'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'a withdrawal'));
  requireStatus(state, WITHDRAWABLE, 'a withdrawal');
  return [{ type: 'FilingWithdrawn', data: withReasons(reasonsOf(command.reasons, false, 'withdraw')) }];
};
