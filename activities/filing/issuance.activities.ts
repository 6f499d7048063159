import { ApplicationFailure } from '@temporalio/activity';
import type { IssuanceRefusal } from '../../events/filing/filing-events';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import {
  type RegistrationNumberAllocator,
  RegistrationNumberRefusedError,
  type RegistrationNumberRequest,
} from '../registration-numbers';

/** The numbers issued, or why the registry refused them (the filing goes back to its platform). */
export type IssuanceOutcome =
  | { subjectNumber: string; serviceNumber: string; operatorName: string }
  | { refused: { refusal: IssuanceRefusal; reasons: string } };

export interface IssuanceActivityDeps {
  allocator: RegistrationNumberAllocator;
  sms: SmsSender;
  email: EmailSender;
}

export function createIssuanceActivities(deps: IssuanceActivityDeps) {
  return {
    async allocateRegistrationNumber(input: RegistrationNumberRequest): Promise<IssuanceOutcome> {
      try {
        const { subjectNumber, serviceNumber, operatorName } = await deps.allocator.allocate(input);
        return { subjectNumber, serviceNumber, operatorName };
      } catch (error) {
        if (!(error instanceof RegistrationNumberRefusedError)) throw error;
        // What the filing says of its subject no longer holds (a race with another filing): its answer.
        const refusal = error.issuanceRefusal();
        if (refusal) return { refused: { refusal, reasons: error.message } };
        // The other refusals do not change on retry either, but are faults of the request or registry.
        throw ApplicationFailure.nonRetryable(error.message, 'registration_number_refused');
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
