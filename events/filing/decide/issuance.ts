import type { Decider } from '../command-rules';
import { requireStatus } from './guards';

export const decideIssueRegistrationNumber: Decider<'IssueRegistrationNumber'> = (command, state) => {
  requireStatus(state, ['bureau_approved'], 'issuing a registration number');
  const { subjectNumber, serviceNumber } = command;
  return [{ type: 'RegistrationNumberIssued', data: { subjectNumber, serviceNumber } }];
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
        operatorName: registered.form.operator?.name ?? registered.subjectNumber,
        province: registered.province,
      },
    },
  ];
};

export const decideNotifyApplicant: Decider<'NotifyApplicant'> = (command, state) => {
  requireStatus(state, ['published'], 'notifying the applicant');
  return [{ type: 'ApplicantNotified', data: { channels: command.channels } }];
};
