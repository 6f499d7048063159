import type { Decider } from '../command-rules';
import { FilingDomainError } from '../filing-errors';
import type { FilingKind } from '../filing-kind';
import { requireStatus } from './guards';

/** A new registration gets numbers; the other kinds are applied to the registration they target. */
function requireKind(kind: FilingKind, newRegistration: boolean, what: string): void {
  if ((kind === 'new_registration') === newRegistration) return;
  throw new FilingDomainError('invalid_command', `${what} does not fit a filing of kind ${kind}`, {
    field: 'kind',
    rule: newRegistration ? 'new_registration_only' : 'not_for_new_registration',
  });
}

export const decideIssueRegistrationNumber: Decider<'IssueRegistrationNumber'> = (command, state) => {
  const approved = requireStatus(state, ['bureau_approved'], 'issuing a registration number');
  requireKind(approved.kind, true, 'issuing a registration number');
  const { subjectNumber, serviceNumber, operatorName } = command;
  const data =
    operatorName === undefined
      ? { subjectNumber, serviceNumber }
      : { subjectNumber, serviceNumber, operatorName };
  return [{ type: 'RegistrationNumberIssued', data }];
};

/**
 * The registry applied a change, cancellation or new access: the filing is registered under the
 * number it targets (the subject's number for a subject cancellation).
 */
export const decideApplyToRegistry: Decider<'ApplyToRegistry'> = (command, state) => {
  const approved = requireStatus(state, ['bureau_approved'], 'applying the filing to the registry');
  requireKind(approved.kind, false, 'applying the filing to the registry');
  const { subjectNumber } = command;
  if (typeof subjectNumber !== 'string' || subjectNumber.trim() === '') {
    throw new FilingDomainError('invalid_command', 'the registry names no subject number', {
      field: 'subjectNumber',
      rule: 'required',
    });
  }
  const serviceNumbers = [...command.serviceNumbers];
  return [{ type: 'FilingAppliedToRegistry', data: { subjectNumber, serviceNumbers } }];
};

/** The registry refused the number: the filing goes back to its platform with the reason. */
export const decideRefuseRegistrationNumber: Decider<'RefuseRegistrationNumber'> = (command, state) => {
  requireStatus(state, ['bureau_approved'], 'refusing a registration number');
  return [
    { type: 'RegistrationNumberRefused', data: { refusal: command.refusal, reasons: command.reasons } },
  ];
};

export const decidePublishRegistration: Decider<'PublishRegistration'> = (_command, state) => {
  const registered = requireStatus(state, ['registered'], 'publishing the registration');
  return [
    {
      type: 'RegistrationPublished',
      data: {
        registrationNumber: registered.serviceNumber,
        appName: registered.appName,
        serviceType: registered.serviceType,
        operatorName: registered.operatorName ?? registered.form.operator?.name ?? registered.subjectNumber,
        province: registered.province,
      },
    },
  ];
};

export const decideNotifyApplicant: Decider<'NotifyApplicant'> = (command, state) => {
  requireStatus(state, ['published'], 'notifying the applicant');
  return [{ type: 'ApplicantNotified', data: { channels: command.channels } }];
};
