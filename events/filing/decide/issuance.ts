import type { Decider } from '../command-rules';
import { requireStatus } from './guards';

export const decideIssueRegistrationNumber: Decider<'IssueRegistrationNumber'> = (command, state) => {
  requireStatus(state, ['bureau_approved'], 'issuing a registration number');
  const { subjectNumber, serviceNumber, operatorName } = command;
  const data =
    operatorName === undefined
      ? { subjectNumber, serviceNumber }
      : { subjectNumber, serviceNumber, operatorName };
  return [{ type: 'RegistrationNumberIssued', data }];
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
