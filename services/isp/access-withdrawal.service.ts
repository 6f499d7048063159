import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Actor } from '../../events/filing/actor';
import { filingStreamId } from '../../events/filing/stream-ids';
import { uuidv5 } from '../../events/ids';
import type { EventLog } from '../../events/ports/event-log.port';
import { RegistryDomainError } from '../../events/registry/registry-errors';
import { serviceStreamId } from '../../events/registry/registry-streams';
import {
  type RegisteredServiceState,
  type ServiceCommand,
  decideService,
  foldService,
} from '../../events/registry/service';
import {
  isInIspScope,
  ispNameOfFiling,
  legacyAccessFilingOf,
  type WithdrawAccessRefusal,
  type WithdrawnServiceStatus,
  withdrawalRefusalOf,
} from '../../events/registry/service-access';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { ProblemException, problemType } from '../http/problem-details';
import { EVENT_LOG, TEMPORAL_CLIENT, TEMPORAL_TARGET, type TemporalTarget } from '../tokens';
import {
  type AccessWithdrawalInput,
  type AccessWithdrawalOutcome,
  accessWithdrawalWorkflowId,
} from '../../workflows/registry/access-withdrawal.definitions';
import type { accessWithdrawalWorkflow } from '../../workflows/registry/access-withdrawal.workflow';

/** How long a withdrawal waits for its workflow (an append and two outbox rows) before 503. */
const WITHDRAWAL_WAIT_MS = 10_000;

/** What a withdrawal answers: the service's public status once it is recorded, and the withdrawal. */
export interface AccessWithdrawalView {
  serviceNumber: string;
  status: WithdrawnServiceStatus;
  withdrawal: { withdrawalId: string; ispName: string; reason: string; withdrawnOn: string };
}

/** One withdrawal per ISP, service and Idempotency-Key. */
export function accessWithdrawalIdOf(serviceNumber: string, ispName: string, key: string): string {
  return uuidv5(`access-withdrawal:${serviceNumber}:${ispName}:${key}`);
}

/**
 * An ISP withdraws its access to a service. Everything the registry can refuse is checked here first,
 * so a refusal writes nothing and starts no workflow; then `accessWithdrawalWorkflow` records the
 * withdrawal (deciding again on the stream as it then is) and notifies the applicant.
 */
@Injectable()
export class AccessWithdrawalService {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async withdraw(
    actor: Actor,
    serviceNumber: string,
    key: string,
    reason: string,
  ): Promise<AccessWithdrawalView> {
    const ispName = ispNameOf(actor);
    const withdrawalId = accessWithdrawalIdOf(serviceNumber, ispName, key);
    const service = await this.serviceInScope(serviceNumber, ispName);
    assertWithdrawable(service, {
      type: 'WithdrawAccess',
      withdrawalId,
      ispName,
      reason,
      withdrawnOn: chinaDateOfEpochMs(Date.now()),
    });
    const outcome = await this.run({ serviceNumber, withdrawalId, ispName, reason, recordedById: actor.id });
    if ('refused' in outcome) throw refusalProblem(outcome.refused);
    // The key's first request had another reason (both raced past the check above).
    if (outcome.withdrawn.reason !== reason) throw refusalProblem('withdrawal_id_reused');
    const { status, withdrawnOn } = outcome.withdrawn;
    return { serviceNumber, status, withdrawal: { withdrawalId, ispName, reason, withdrawnOn } };
  }

  /**
   * The service folded as the registry folds it, if the ISP may see it (an ISP sees only its accesses;
   * a service registered before accesses were kept: the ISP its registering filing's form names).
   */
  private async serviceInScope(serviceNumber: string, ispName: string): Promise<RegisteredServiceState> {
    const state = foldService(await this.eventLog.readStream(serviceStreamId(serviceNumber)));
    const legacyFilingId = legacyAccessFilingOf(state);
    const legacyIspName =
      legacyFilingId === undefined
        ? undefined
        : ispNameOfFiling(await this.eventLog.readStream(filingStreamId(legacyFilingId)));
    if (state.status === 'unregistered' || !isInIspScope(state, ispName, legacyIspName)) {
      throw refusalProblem('service_not_found');
    }
    return state;
  }

  /** Starts the request's workflow, or finds it (running or closed), and waits for its outcome. */
  private run(input: AccessWithdrawalInput): Promise<AccessWithdrawalOutcome> {
    const workflowId = accessWithdrawalWorkflowId(input.withdrawalId);
    return this.client.withDeadline(Date.now() + WITHDRAWAL_WAIT_MS, async () => {
      try {
        const handle = await this.client.workflow.start<typeof accessWithdrawalWorkflow>(
          'accessWithdrawalWorkflow',
          {
            taskQueue: this.temporal.taskQueue,
            workflowId,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            // A retry after the run closed finds it instead of running the withdrawal again.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          },
        );
        return await handle.result();
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        return this.client.workflow.getHandle<typeof accessWithdrawalWorkflow>(workflowId).result();
      }
    });
  }
}

/** What the registry's decider says of the withdrawal now, as the API's refusal; nothing is written. */
function assertWithdrawable(
  service: RegisteredServiceState,
  command: Extract<ServiceCommand, { type: 'WithdrawAccess' }>,
): void {
  try {
    decideService(command, service);
  } catch (error) {
    const refusal = error instanceof RegistryDomainError ? withdrawalRefusalOf(error.code) : undefined;
    if (refusal === undefined) throw error;
    throw refusalProblem(refusal);
  }
}

function ispNameOf(actor: Actor): string {
  if (actor.role !== 'isp' || actor.ispName === undefined) {
    throw new Error('an access withdrawal needs an isp actor with its ispName (see @Roles)');
  }
  return actor.ispName;
}

const REFUSALS: Readonly<
  Record<WithdrawAccessRefusal, { status: number; slug: string; path: string; detail: string }>
> = {
  service_not_found: {
    status: 404,
    slug: 'service-not-found',
    path: 'serviceNumber',
    detail: 'no such service among the accesses of this ISP',
  },
  service_cancelled: {
    status: 409,
    slug: 'service-cancelled',
    path: 'serviceNumber',
    detail: 'the service is cancelled: nothing may follow',
  },
  access_already_withdrawn: {
    status: 409,
    slug: 'access-already-withdrawn',
    path: 'serviceNumber',
    detail: 'this ISP has already withdrawn its access to the service',
  },
  withdrawal_id_reused: {
    status: 409,
    slug: 'idempotency-key-reused',
    path: 'Idempotency-Key',
    detail: 'this Idempotency-Key was already used for another withdrawal of this service',
  },
};

/** The answer to a refused withdrawal; nothing was written. */
export function refusalProblem(refusal: WithdrawAccessRefusal): ProblemException {
  const { status, slug, path, detail } = REFUSALS[refusal];
  if (status === 404) {
    return new ProblemException({ type: problemType(slug), title: 'Not Found', status, detail });
  }
  return new ProblemException({
    type: problemType(slug),
    title: 'Conflict',
    status,
    detail,
    errors: [{ path, rule: refusal, message: detail }],
  });
}
