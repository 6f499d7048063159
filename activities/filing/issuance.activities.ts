import { ApplicationFailure } from '@temporalio/activity';
import type { IssuanceRefusal } from '../../events/filing/filing-events';
import type { FilingKind } from '../../events/filing/filing-kind';
import { registeredNoticeOf } from '../../events/filing/outcome-notices';
import type { ServiceType } from '../../events/form/registration-form';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import { renderNotice } from './notices';
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

    /**
     * The published registration, told by SMS and e-mail: the number issued, or the change,
     * cancellation or new access applied to it (by `kind`; absent in requests scheduled before it was
     * sent: a new registration), with the lookup link. Idempotent through the senders' idempotency
     * keys: a retry never notifies twice.
     */
    async notifyApplicant(input: {
      filingId: string;
      mobile: string;
      email: string;
      appName: string;
      registrationNumber: string;
      kind?: FilingKind;
      serviceType?: ServiceType;
    }): Promise<{ channels: Array<'sms' | 'email'> }> {
      const { filingId, appName, registrationNumber } = input;
      const facts = {
        filingId,
        appName,
        kind: input.kind ?? 'new_registration',
        serviceType: input.serviceType ?? 'app',
      };
      const rendered = renderNotice(registeredNoticeOf(facts, registrationNumber));
      await deps.sms.send({
        to: input.mobile,
        sender: ICP_SMS_SENDER,
        text: rendered.sms,
        idempotencyKey: `${filingId}:registered:sms`,
      });
      await deps.email.send({
        to: input.email,
        ...rendered.email,
        idempotencyKey: `${filingId}:registered:email`,
      });
      return { channels: ['sms', 'email'] };
    },
  };
}
