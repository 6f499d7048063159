import { ApplicationFailure } from '@temporalio/activity';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import {
  type RegistrationNumberAllocator,
  RegistrationNumberRefusedError,
  type RegistrationNumberRequest,
} from '../registration-numbers';

export interface IssuanceActivityDeps {
  allocator: RegistrationNumberAllocator;
  sms: SmsSender;
  email: EmailSender;
}

export function createIssuanceActivities(deps: IssuanceActivityDeps) {
  return {
    async allocateRegistrationNumber(
      input: RegistrationNumberRequest,
    ): Promise<{ subjectNumber: string; serviceNumber: string }> {
      try {
        const { subjectNumber, serviceNumber } = await deps.allocator.allocate(input);
        return { subjectNumber, serviceNumber };
      } catch (error) {
        // A refusal does not change on retry (e.g. a subject number held by another subject).
        if (error instanceof RegistrationNumberRefusedError) {
          throw ApplicationFailure.nonRetryable(error.message, 'registration_number_refused');
        }
        throw error;
      }
    },

    /** Idempotent through the senders' idempotency keys: a retry never notifies twice. */
    async notifyApplicant(input: {
      filingId: string;
      mobile: string;
      email: string;
      appName: string;
      registrationNumber: string;
    }): Promise<{ channels: Array<'sms' | 'email'> }> {
      const text = `您的APP备案「${input.appName}」已通过审核，备案号：${input.registrationNumber}。`;
      await deps.sms.send({
        to: input.mobile,
        sender: ICP_SMS_SENDER,
        text,
        idempotencyKey: `${input.filingId}:registered:sms`,
      });
      await deps.email.send({
        to: input.email,
        subject: `ICP备案号已核发：${input.registrationNumber}`,
        text,
        idempotencyKey: `${input.filingId}:registered:email`,
      });
      return { channels: ['sms', 'email'] };
    },
  };
}
