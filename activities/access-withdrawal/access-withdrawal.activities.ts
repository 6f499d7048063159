import { ApplicationFailure } from '@temporalio/activity';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { EventLog } from '../../events/ports/event-log.port';
import { CorruptRegistryStreamError } from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { foldService } from '../../events/registry/service';
import {
  applicantContactsOfFiling,
  isInIspScope,
  ispNameOfFiling,
  latestFilingIdOf,
  legacyAccessFilingOf,
  type WithdrawAccessRefusal,
  type WithdrawnServiceStatus,
  withdrawalRefusalOf,
} from '../../events/registry/service-access';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import type { RegistryUpdater } from '../registry-updates/registry-updater';
import { RegistryUpdateRequestError } from '../registry-updates/valid-update-request';

/** What the workflow asks: this ISP withdraws its access to this service (a request, by its id). */
export interface WithdrawServiceAccessRequest {
  serviceNumber: string;
  /** UUIDv5 of the request's service number, ISP and Idempotency-Key: one withdrawal per request. */
  withdrawalId: string;
  ispName: string;
  reason: string;
  /** The ISP's user (the token's subject), recorded as `recordedBy.id`. */
  recordedById: string;
  /** Workflow time of the request (ISO 8601): the event's occurredAt; its China date is withdrawnOn. */
  at: string;
}

export type WithdrawServiceAccessOutcome =
  { withdrawn: { status: WithdrawnServiceStatus; withdrawnOn: string } } | { refused: WithdrawAccessRefusal };

export interface AccessWithdrawalActivityDeps {
  eventLog: EventLog;
  /** The registry's one writer of service events: it decides (`decideService`) and appends, sealed. */
  updater: RegistryUpdater;
  sms: SmsSender;
  email: EmailSender;
}

/**
 * Whether the ISP may see the service (an ISP sees only its accesses; a service registered before
 * accesses were kept: the ISP its registering filing's form names).
 */
async function inIspScope(eventLog: EventLog, serviceNumber: string, ispName: string): Promise<boolean> {
  const state = foldService(await eventLog.readStream(serviceStreamId(serviceNumber)));
  const legacyFilingId = legacyAccessFilingOf(state);
  const legacyIspName =
    legacyFilingId === undefined
      ? undefined
      : ispNameOfFiling(await eventLog.readStream(filingStreamId(legacyFilingId)));
  return isInIspScope(state, ispName, legacyIspName);
}

export function createAccessWithdrawalActivities(deps: AccessWithdrawalActivityDeps) {
  /** The ISP's scope first, then the registry updater decides (`WithdrawAccess`) and appends. */
  async function withdraw(input: WithdrawServiceAccessRequest): Promise<WithdrawServiceAccessOutcome> {
    if (!(await inIspScope(deps.eventLog, input.serviceNumber, input.ispName))) {
      return { refused: 'service_not_found' };
    }
    const outcome = await deps.updater.withdrawAccess(input);
    if ('refused' in outcome) {
      const refusal = withdrawalRefusalOf(outcome.refused.code);
      if (refusal === undefined) throw new Error(`unexpected refusal ${outcome.refused.code}`);
      return { refused: refusal };
    }
    return { withdrawn: { status: outcome.status, withdrawnOn: outcome.withdrawnOn } };
  }

  return {
    /**
     * Records ServiceAccessWithdrawn through the registry updater, sealed, at the revision it read
     * (another writer first: read and decide again). Idempotent by withdrawalId: a retry finds its
     * event and records nothing.
     */
    async withdrawServiceAccess(input: WithdrawServiceAccessRequest): Promise<WithdrawServiceAccessOutcome> {
      try {
        return await withdraw(input);
      } catch (error) {
        if (error instanceof CorruptRegistryStreamError) {
          throw ApplicationFailure.nonRetryable(error.message, 'corrupt_registry_stream');
        }
        if (error instanceof RegistryUpdateRequestError) {
          throw ApplicationFailure.nonRetryable(error.message, 'access_withdrawal_invalid');
        }
        throw error;
      }
    },

    /**
     * Tells the applicant of the service's latest filing (its form's appPrincipal, from the log) by SMS
     * and e-mail, in Chinese. Idempotent through the senders' keys. A service no filing stands behind
     * (an imported one) has nobody to tell: no channel.
     */
    async notifyAccessWithdrawn(input: {
      serviceNumber: string;
      withdrawalId: string;
    }): Promise<{ channels: Array<'sms' | 'email'> }> {
      const events = await deps.eventLog.readStream(serviceStreamId(input.serviceNumber));
      const at = events.findIndex(
        (event) =>
          event.type === 'ServiceAccessWithdrawn' &&
          (event.data as { withdrawalId?: unknown }).withdrawalId === input.withdrawalId,
      );
      if (at === -1) throw ApplicationFailure.nonRetryable('the withdrawal is not recorded', 'not_recorded');
      // The service as the withdrawal left it, whatever happened since.
      const upToWithdrawal = events.slice(0, at + 1);
      const state = foldService(upToWithdrawal);
      const latestFilingId = latestFilingIdOf(upToWithdrawal);
      if (state.status !== 'active' && state.status !== 'access_withdrawn') return { channels: [] };
      const withdrawal = state.withdrawals.find((w) => w.withdrawalId === input.withdrawalId);
      if (!withdrawal || latestFilingId === undefined) return { channels: [] };
      const contacts = applicantContactsOfFiling(
        await deps.eventLog.readStream(filingStreamId(latestFilingId)),
      );
      if (!contacts) return { channels: [] };
      const serviceNumber = state.registered.serviceNumber;
      const after = state.accesses === undefined ? 'accesses_unknown' : state.status;
      const text = accessWithdrawnText({ name: state.current.name, serviceNumber }, withdrawal, after);
      await deps.sms.send({
        to: contacts.mobile,
        sender: ICP_SMS_SENDER,
        text,
        idempotencyKey: `${input.withdrawalId}:access-withdrawn:sms`,
      });
      await deps.email.send({
        to: contacts.email,
        subject: `ICP备案取消接入通知：${serviceNumber}`,
        text,
        idempotencyKey: `${input.withdrawalId}:access-withdrawn:email`,
      });
      return { channels: ['sms', 'email'] };
    },
  };
}

/** The public lookup of the MIIT filing system, where a number can be checked. */
export const ICP_LOOKUP_URL = 'https://beian.miit.gov.cn/';

const WHAT_FOLLOWS = {
  access_withdrawn:
    '该服务已无接入服务商，备案状态为“已取消接入”，请尽快通过新的接入服务商办理新增接入备案。',
  active: '该服务仍有其他接入服务商，备案继续有效。',
  // Registered before accesses were kept: whether another ISP serves it is not known.
  accesses_unknown: '备案继续有效。',
} as const;

/**
 * The message in Chinese: which service, which ISP, why, and what follows (the service's status once
 * withdrawn, or `accesses_unknown` for a service registered before accesses were kept).
 */
export function accessWithdrawnText(
  service: { name: string; serviceNumber: string },
  withdrawal: { ispName: string; reason: string; withdrawnOn: string },
  after: keyof typeof WHAT_FOLLOWS,
): string {
  const next = WHAT_FOLLOWS[after];
  return (
    `您的APP备案「${service.name}」（备案号：${service.serviceNumber}）已于${withdrawal.withdrawnOn}被接入服务商` +
    `「${withdrawal.ispName}」取消接入，原因：${withdrawal.reason}。${next}备案查询：${ICP_LOOKUP_URL}`
  );
}
