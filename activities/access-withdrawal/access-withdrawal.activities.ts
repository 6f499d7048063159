import { ApplicationFailure } from '@temporalio/activity';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { registryStreamHead } from '../../events/registry/registry-envelope';
import {
  CorruptRegistryStreamError,
  type RegistryEvent,
  type ServiceLifeEvent,
} from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';
import {
  applicantContactsOfFiling,
  decideWithdrawAccess,
  filingNamingLegacyAccess,
  foldServiceAccess,
  ispNameOfFiling,
  type ServiceAccessState,
  type ServiceAccessStatus,
  statusOfServiceAccess,
  type WithdrawAccessRefusal,
} from '../../events/registry/service-access';
import { chinaDateOfEpochMs, epochMsOfInstant } from '../../events/working-days/china-time';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import { appendSealed } from '../registration-numbers/optimistic-append';
import {
  type Attempt,
  CONTENDED,
  type ContentionRetryOptions,
  DEFAULT_CONTENTION_RETRY,
  retryWhileContended,
  settled,
} from '../registration-numbers/contention-retry';

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
  { withdrawn: { status: ServiceAccessStatus; withdrawnOn: string } } | { refused: WithdrawAccessRefusal };

export interface AccessWithdrawalActivityDeps {
  eventLog: EventLog;
  sms: SmsSender;
  email: EmailSender;
  contention?: ContentionRetryOptions;
}

/** The service stream and its accesses (the legacy ISP read from the registering filing's form). */
export async function readServiceAccess(
  eventLog: EventLog,
  serviceNumber: string,
): Promise<{ events: RecordedEvent[]; state: ServiceAccessState | undefined }> {
  const events = await eventLog.readStream(serviceStreamId(serviceNumber));
  return { events, state: await serviceAccessOf(eventLog, events) };
}

/** The service's events folded, reading the registering filing's form when its accesses predate the registry's. */
async function serviceAccessOf(
  eventLog: EventLog,
  events: readonly RecordedEvent[],
): Promise<ServiceAccessState | undefined> {
  const legacyFilingId = filingNamingLegacyAccess(events);
  const legacyIspName =
    legacyFilingId === undefined
      ? undefined
      : ispNameOfFiling(await eventLog.readStream(filingStreamId(legacyFilingId)));
  return foldServiceAccess(events, legacyIspName);
}

/** One read-decide-append; CONTENDED when another writer took the revision it read. */
async function withdrawalAttempt(
  eventLog: EventLog,
  input: WithdrawServiceAccessRequest,
): Promise<Attempt<WithdrawServiceAccessOutcome>> {
  const withdrawnOn = chinaDateOfEpochMs(epochMsOfInstant(input.at));
  const { events, state } = await readServiceAccess(eventLog, input.serviceNumber);
  const { withdrawalId, ispName, reason } = input;
  const decision = decideWithdrawAccess(state, {
    type: 'WithdrawAccess',
    withdrawalId,
    ispName,
    reason,
    withdrawnOn,
  });
  if (!decision.ok) return settled({ refused: decision.refusal });
  const [event] = decision.events;
  if (!event) {
    // A retry: the withdrawal is recorded already, with its own date.
    const recorded = state?.withdrawals.find((withdrawal) => withdrawal.withdrawalId === withdrawalId);
    return settled({
      withdrawn: { status: decision.status, withdrawnOn: recorded?.withdrawnOn ?? withdrawnOn },
    });
  }
  const streamId = serviceStreamId(input.serviceNumber);
  const appended = await appendSealed(eventLog, streamId, registryStreamHead(events), sealable(event), {
    occurredAt: input.at,
    recordedBy: { role: 'isp', id: input.recordedById },
    causationId: withdrawalId,
  });
  return appended ? settled({ withdrawn: { status: decision.status, withdrawnOn } }) : CONTENDED;
}

export function createAccessWithdrawalActivities(deps: AccessWithdrawalActivityDeps) {
  const contention = deps.contention ?? DEFAULT_CONTENTION_RETRY;
  return {
    /**
     * Records ServiceAccessWithdrawn, sealed, at the revision it read (another writer first: read and
     * decide again). Idempotent by withdrawalId: a retry finds its event and records nothing.
     */
    async withdrawServiceAccess(input: WithdrawServiceAccessRequest): Promise<WithdrawServiceAccessOutcome> {
      try {
        return await retryWhileContended(
          () => withdrawalAttempt(deps.eventLog, input),
          contention,
          `access withdrawal ${input.withdrawalId}`,
        );
      } catch (error) {
        if (error instanceof CorruptRegistryStreamError) {
          throw ApplicationFailure.nonRetryable(error.message, 'corrupt_registry_stream');
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
      const state = await serviceAccessOf(deps.eventLog, events.slice(0, at + 1));
      const withdrawal = state?.withdrawals.find((w) => w.withdrawalId === input.withdrawalId);
      if (!state || !withdrawal || state.latestFilingId === undefined) return { channels: [] };
      const contacts = applicantContactsOfFiling(
        await deps.eventLog.readStream(filingStreamId(state.latestFilingId)),
      );
      if (!contacts) return { channels: [] };
      const text = accessWithdrawnText(state, withdrawal, statusOfServiceAccess(state));
      await deps.sms.send({
        to: contacts.mobile,
        sender: ICP_SMS_SENDER,
        text,
        idempotencyKey: `${input.withdrawalId}:access-withdrawn:sms`,
      });
      await deps.email.send({
        to: contacts.email,
        subject: `ICP备案取消接入通知：${state.serviceNumber}`,
        text,
        idempotencyKey: `${input.withdrawalId}:access-withdrawn:email`,
      });
      return { channels: ['sms', 'email'] };
    },
  };
}

/** The public lookup of the MIIT filing system, where a number can be checked. */
export const ICP_LOOKUP_URL = 'https://beian.miit.gov.cn/';

/** The message in Chinese: which service, which ISP, why, and what follows. */
export function accessWithdrawnText(
  state: Pick<ServiceAccessState, 'name' | 'serviceNumber'>,
  withdrawal: { ispName: string; reason: string; withdrawnOn: string },
  status: ServiceAccessStatus,
): string {
  const next =
    status === 'access_withdrawn'
      ? '该服务已无接入服务商，备案状态为“已取消接入”，请尽快通过新的接入服务商办理新增接入备案。'
      : '该服务仍有其他接入服务商，备案继续有效。';
  return (
    `您的APP备案「${state.name}」（备案号：${state.serviceNumber}）已于${withdrawal.withdrawnOn}被接入服务商` +
    `「${withdrawal.ispName}」取消接入，原因：${withdrawal.reason}。${next}备案查询：${ICP_LOOKUP_URL}`
  );
}

/**
 * A service life event as the sealing functions take it: `RegistryEvent` does not list the service's
 * life events yet (the service decider's work); sealing reads only `type` and `data`.
 */
function sealable(event: ServiceLifeEvent): RegistryEvent {
  return event as unknown as RegistryEvent;
}
