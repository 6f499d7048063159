import { ApplicationFailure } from '@temporalio/activity';
import type { ComplianceRecorder } from '../../../events/compliance/compliance-envelope';
import { campaignItemStreamId, campaignStreamId } from '../../../events/compliance/compliance-streams';
import { decideCampaign, foldCampaign } from '../../../events/compliance/campaign/campaign';
import { CampaignDomainError } from '../../../events/compliance/campaign/campaign-errors';
import type {
  CampaignItemAnsweredData,
  CampaignItemDecidedData,
  CampaignOpenedData,
  CampaignWithdrawal,
} from '../../../events/compliance/campaign/campaign-events';
import {
  type CampaignItemCommand,
  type CampaignItemProgressState,
  decideCampaignItem,
  foldCampaignItem,
  progressStateOf,
} from '../../../events/compliance/campaign/campaign-item';
import { uuidv5 } from '../../../events/ids';
import type { EventLog } from '../../../events/ports/event-log.port';
import { serviceStreamId } from '../../../events/registry/registry-streams';
import { foldService } from '../../../events/registry/service';
import { chinaDateOfEpochMs } from '../../../events/working-days/china-time';
import type { RegistryUpdater } from '../../registry-updates/registry-updater';
import { handleComplianceCommand } from '../compliance-commands';

export interface CampaignActivityDeps {
  eventLog: EventLog;
  /** The registry's one writer of service events, as the access-withdrawal activities use it. */
  updater: RegistryUpdater;
}

interface ItemRef {
  campaignId: string;
  serviceNumber: string;
}

/** Workflow time of the step (ISO 8601) and who acts: every event's occurredAt and recordedBy. */
interface Acting {
  at: string;
  recordedBy: ComplianceRecorder;
}

const SYSTEM: ComplianceRecorder = { role: 'system', id: 'accuracy-campaign' };

/** One withdrawal per campaign, service and ISP: a retried decision finds it recorded. */
export function campaignWithdrawalIdOf(campaignId: string, serviceNumber: string, ispName: string): string {
  return uuidv5(`compliance-campaign-withdrawal:${campaignId}:${serviceNumber}:${ispName}`);
}

/** A refused command cannot succeed on retry: the workflow sees it as a non-retryable failure. */
async function refusalsFinal<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CampaignDomainError)
      throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}

export function createCampaignActivities(deps: CampaignActivityDeps) {
  const { eventLog } = deps;

  async function onItem(command: CampaignItemCommand, acting: Acting): Promise<CampaignItemProgressState> {
    return refusalsFinal(async () => {
      const result = await handleComplianceCommand(eventLog, {
        streamId: campaignItemStreamId(command.campaignId, command.serviceNumber),
        fold: foldCampaignItem,
        decide: (state) => decideCampaignItem(command, state),
        context: {
          occurredAt: acting.at,
          recordedBy: acting.recordedBy,
          causationId: `compliance-campaign-${command.campaignId}`,
        },
      });
      return progressStateOf(result.state);
    });
  }

  /**
   * The ISPs serving the service now (the registry's fold; the respondents' when it keeps none), and
   * those this campaign already withdrew (a retry after a partial run records them all the same).
   */
  async function ispsToWithdraw(input: ItemRef & { ispNames: readonly string[] }): Promise<string[]> {
    const state = foldService(await eventLog.readStream(serviceStreamId(input.serviceNumber)));
    if (state.status !== 'active' && state.status !== 'access_withdrawn') return [];
    const done = state.withdrawals
      .filter(
        (w) => w.withdrawalId === campaignWithdrawalIdOf(input.campaignId, input.serviceNumber, w.ispName),
      )
      .map((w) => w.ispName);
    return [...new Set([...done, ...(state.accesses ?? input.ispNames)])];
  }

  return {
    /** CampaignOpened in the campaign stream; idempotent (a retry finds it). */
    async openCampaign(input: { opened: CampaignOpenedData; at: string }): Promise<void> {
      await refusalsFinal(() =>
        handleComplianceCommand(eventLog, {
          streamId: campaignStreamId(input.opened.campaignId),
          fold: foldCampaign,
          decide: (state) => decideCampaign({ type: 'OpenCampaign', data: input.opened }, state),
          context: {
            occurredAt: input.at,
            recordedBy: { role: 'bureau', id: input.opened.openedBy },
            causationId: `compliance-campaign-${input.opened.campaignId}`,
          },
        }),
      );
    },

    async closeCampaign(input: { campaignId: string; at: string }): Promise<void> {
      const closedOn = chinaDateOfEpochMs(Date.parse(input.at));
      await refusalsFinal(() =>
        handleComplianceCommand(eventLog, {
          streamId: campaignStreamId(input.campaignId),
          fold: foldCampaign,
          decide: (state) =>
            decideCampaign(
              { type: 'CloseCampaign', data: { campaignId: input.campaignId, closedOn } },
              state,
            ),
          context: {
            occurredAt: input.at,
            recordedBy: SYSTEM,
            causationId: `compliance-campaign-${input.campaignId}`,
          },
        }),
      );
    },

    async recordCampaignItemAnswer(
      input: { answered: CampaignItemAnsweredData } & Acting,
    ): Promise<CampaignItemProgressState> {
      return onItem({ type: 'AnswerItem', ...input.answered }, input);
    },

    /** A deadline (or a refusal) hands the item to the bureau; it never decides. */
    async escalateCampaignItem(
      input: ItemRef & { reason: 'overdue' | 'refused'; at: string },
    ): Promise<CampaignItemProgressState> {
      const { campaignId, serviceNumber, reason } = input;
      return onItem(
        { type: 'EscalateItem', campaignId, serviceNumber, reason },
        { at: input.at, recordedBy: SYSTEM },
      );
    },

    async recordCampaignItemDecision(input: { decided: CampaignItemDecidedData; at: string }) {
      return onItem(
        { type: 'DecideItem', ...input.decided },
        { at: input.at, recordedBy: { role: 'bureau', id: input.decided.decidedBy } },
      );
    },

    /**
     * On the bureau's withdraw_access: every ISP serving the service withdraws its access through the
     * registry updater (ServiceAccessWithdrawn, recorded as by the ISP on the bureau's order), then
     * CampaignItemAccessWithdrawn. Idempotent: withdrawal ids derive from campaign, service and ISP.
     */
    async withdrawCampaignItemAccess(
      input: ItemRef & { campaignName: string; ispNames: string[]; decidedBy: string; at: string },
    ): Promise<CampaignWithdrawal[]> {
      const { campaignId, serviceNumber } = input;
      const withdrawals: CampaignWithdrawal[] = [];
      for (const ispName of await ispsToWithdraw(input)) {
        const withdrawalId = campaignWithdrawalIdOf(campaignId, serviceNumber, ispName);
        const outcome = await deps.updater.withdrawAccess({
          serviceNumber,
          withdrawalId,
          ispName,
          reason: `省通信管理局备案信息准确性核验「${input.campaignName}」决定取消接入（${campaignId}）`,
          recordedById: `bureau-order:${input.decidedBy}`,
          at: input.at,
        });
        withdrawals.push(
          'refused' in outcome
            ? { ispName, withdrawalId, refused: outcome.refused.code }
            : { ispName, withdrawalId, withdrawnOn: outcome.withdrawnOn },
        );
      }
      await onItem(
        { type: 'RecordAccessWithdrawn', campaignId, serviceNumber, withdrawals },
        { at: input.at, recordedBy: { role: 'bureau', id: input.decidedBy } },
      );
      return withdrawals;
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
