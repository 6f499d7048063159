import { Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { CampaignItemSpec, CampaignRespondent } from '../../events/compliance/campaign/campaign-events';
import { sampleCandidates } from '../../events/compliance/campaign/campaign-sampling';
import type { CampaignItemView, CampaignView } from '../../events/compliance/campaign/campaign-view';
import type { Actor } from '../../events/filing/actor';
import { uuidv5 } from '../../events/ids';
import type { EventLog } from '../../events/ports/event-log.port';
import {
  MAX_PAGE_SIZE,
  type ReadModelQueries,
  type RegistryServiceRow,
} from '../../events/ports/read-models.port';
import type { ProvinceCode } from '../../events/provinces';
import { addWorkingDays } from '../../events/working-days/add-working-days';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import type { WorkingDayCalendar } from '../../events/working-days/working-day-calendar';
import type { FieldError } from '../http/request-fields';
import { ProblemException, problemType } from '../http/problem-details';
import {
  EVENT_LOG,
  READ_MODELS,
  TEMPORAL_CLIENT,
  TEMPORAL_TARGET,
  type TemporalTarget,
  WORKING_DAY_CALENDAR,
} from '../tokens';
import {
  type AccuracyCampaignInput,
  answerItemUpdate,
  campaignItemWorkflowId,
  campaignWorkflowId,
  decideItemUpdate,
  isRespondentOf,
} from '../../workflows/compliance/campaign.definitions';
import type {
  CampaignItemAnswerRequest,
  CampaignItemDecisionRequest,
  CampaignSubmission,
} from './campaign.requests';
import { type LoadedCampaign, loadCampaign, loadCampaigns } from './campaign.views';

export interface CampaignSubmitted {
  campaignId: string;
  services: number;
  dueOn: string;
}

function problem(status: number, slug: string, detail: string, errors?: FieldError[]): ProblemException {
  const title =
    { 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Content' }[status] ?? 'Error';
  return new ProblemException({ type: problemType(slug), title, status, detail, ...(errors && { errors }) });
}

/** The party answering for an actor: a platform by its id, an ISP by its name. */
function respondentOf(actor: Actor): CampaignRespondent | undefined {
  if (actor.role === 'platform' && actor.platformId) return { role: 'platform', id: actor.platformId };
  if (actor.role === 'isp' && actor.ispName) return { role: 'isp', id: actor.ispName };
  return undefined;
}

/**
 * Accuracy campaigns: the selection resolved from the registry read side at submission (everything
 * refusable is refused here, never by a workflow later), then the campaign workflow; views are folds
 * of the campaign and item streams; answers and decisions go to the item's child workflow.
 */
@Injectable()
export class CampaignService {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    @Inject(WORKING_DAY_CALENDAR) private readonly calendar: WorkingDayCalendar,
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async submit(actor: Actor, key: string, body: CampaignSubmission): Promise<CampaignSubmitted> {
    const province = actor.province as ProvinceCode;
    const campaignId = uuidv5(`compliance-campaign:${province}:${key}`);
    const existing = await loadCampaign(this.eventLog, campaignId);
    if (existing) return { campaignId, services: existing.items.length, dueOn: existing.opened.dueOn };
    const candidates = (await this.activeServices(province)).filter(
      (row) =>
        (body.selection.ispName === undefined || (row.accesses ?? []).includes(body.selection.ispName)) &&
        (body.selection.serviceType === undefined || row.serviceType === body.selection.serviceType),
    );
    if (candidates.length === 0) {
      throw problem(
        422,
        'campaign-selection-empty',
        'no active service of the province matches the selection',
        [
          {
            path: 'selection',
            rule: 'no_match',
            message: 'no active service of the province matches the selection',
          },
        ],
      );
    }
    const sample = sampleCandidates(
      campaignId,
      candidates,
      body.selection.sampleSize,
      (row) => row.serviceNumber,
    );
    const items = await Promise.all(sample.map((row) => this.itemOf(row)));
    const openedAt = new Date().toISOString();
    const { dueAt } = addWorkingDays(openedAt, body.answerWithinWorkingDays, this.calendar);
    const input: AccuracyCampaignInput = {
      campaignId,
      province,
      name: body.name,
      selection: body.selection,
      items,
      answerWithinWorkingDays: body.answerWithinWorkingDays,
      openedBy: actor.id,
      openedAt,
    };
    try {
      await this.client.workflow.start('accuracyCampaignWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: campaignWorkflowId(campaignId),
        args: [input],
      });
    } catch (error) {
      // The same Idempotency-Key again while the first is starting: the same campaign.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return { campaignId, services: items.length, dueOn: chinaDateOfEpochMs(Date.parse(dueAt)) };
  }

  /** Every active service whose number the province issued (the read side, page by page). */
  private async activeServices(province: ProvinceCode): Promise<RegistryServiceRow[]> {
    const rows: RegistryServiceRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readModels.findRegistryServices({
        province,
        status: 'active',
        limit: MAX_PAGE_SIZE,
        cursor,
      });
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return rows;
  }

  /** Respondents: the platform of the filing that made the current version, and each ISP serving it. */
  private async itemOf(row: RegistryServiceRow): Promise<CampaignItemSpec> {
    const platformId =
      row.filingId === undefined ? undefined : (await this.readModels.getFiling(row.filingId))?.platformId;
    return {
      serviceNumber: row.serviceNumber,
      respondents: { ...(platformId && { platformId }), ispNames: [...(row.accesses ?? [])] },
    };
  }

  /** A bureau its province's, auditors and admins all, a respondent those naming it. */
  private visible(actor: Actor, campaign: LoadedCampaign): boolean {
    if (actor.role === 'bureau') return campaign.opened.province === actor.province;
    if (actor.role === 'auditor' || actor.role === 'admin') return true;
    const respondent = respondentOf(actor);
    return (
      respondent !== undefined && campaign.items.some((item) => isRespondentOf(item.respondents, respondent))
    );
  }

  private async visibleCampaign(actor: Actor, campaignId: string): Promise<LoadedCampaign> {
    const campaign = await loadCampaign(this.eventLog, campaignId);
    if (!campaign || !this.visible(actor, campaign))
      throw problem(404, 'campaign-not-found', 'no such campaign');
    return campaign;
  }

  async list(actor: Actor, status?: 'open' | 'closed'): Promise<{ campaigns: CampaignView[] }> {
    const province = actor.role === 'bureau' ? actor.province : undefined;
    const campaigns = (await loadCampaigns(this.eventLog, province)).filter(
      (campaign) =>
        this.visible(actor, campaign) && (status === undefined || campaign.view.status === status),
    );
    return { campaigns: campaigns.map((campaign) => campaign.view) };
  }

  async get(actor: Actor, campaignId: string): Promise<CampaignView> {
    return (await this.visibleCampaign(actor, campaignId)).view;
  }

  async items(actor: Actor, campaignId: string, state?: string): Promise<{ items: CampaignItemView[] }> {
    const campaign = await this.visibleCampaign(actor, campaignId);
    const respondent = respondentOf(actor);
    const items = campaign.items.filter(
      (item) =>
        (state === undefined || item.state === state) &&
        (respondent === undefined || isRespondentOf(item.respondents, respondent)),
    );
    return { items };
  }

  /** A respondent's items still awaiting an answer, in every open campaign. */
  async pending(
    actor: Actor,
  ): Promise<{ items: Array<CampaignItemView & { campaignId: string; dueOn: string }> }> {
    const respondent = respondentOf(actor);
    if (!respondent) return { items: [] };
    const campaigns = (await loadCampaigns(this.eventLog)).filter(
      (campaign) => campaign.view.status === 'open',
    );
    const items = campaigns.flatMap((campaign) =>
      campaign.items
        .filter((item) => item.state === 'awaiting' && isRespondentOf(item.respondents, respondent))
        .map((item) => ({ ...item, campaignId: campaign.opened.campaignId, dueOn: campaign.opened.dueOn })),
    );
    return { items };
  }

  private itemOfCampaign(campaign: LoadedCampaign, serviceNumber: string): CampaignItemView {
    const item = campaign.items.find((candidate) => candidate.serviceNumber === serviceNumber);
    if (!item) throw problem(404, 'campaign-item-not-found', 'the service is not in this campaign');
    return item;
  }

  async answer(
    actor: Actor,
    campaignId: string,
    serviceNumber: string,
    body: CampaignItemAnswerRequest,
  ): Promise<CampaignItemView> {
    const respondent = respondentOf(actor);
    const campaign = await this.visibleCampaign(actor, campaignId);
    const item = this.itemOfCampaign(campaign, serviceNumber);
    if (!respondent || !isRespondentOf(item.respondents, respondent)) {
      throw problem(403, 'not-a-respondent', 'only the service’s platform or ISPs answer for it');
    }
    if (item.answer?.answer === body.answer && item.answer.respondent.id === respondent.id) return item;
    if (item.state !== 'awaiting' || Date.now() >= Date.parse(campaign.opened.dueAt)) {
      throw problem(409, 'campaign-item-closed', 'the item was answered, escalated or is past its due date');
    }
    if (body.answer === 'change_filed') await this.assertChangeFiling(serviceNumber, body.filingId);
    await this.update(campaignId, item, (handle) =>
      handle.executeUpdate(answerItemUpdate, {
        args: [
          {
            answer: body.answer,
            respondent,
            filingId: body.filingId,
            note: body.note,
            recordedById: actor.id,
          },
        ],
      }),
    );
    return this.itemOfCampaign((await loadCampaign(this.eventLog, campaignId)) ?? campaign, serviceNumber);
  }

  private async assertChangeFiling(serviceNumber: string, filingId: string | undefined): Promise<void> {
    const filing = filingId === undefined ? undefined : await this.readModels.getFiling(filingId);
    if (filing?.kind !== 'change' || filing.targetServiceNumber !== serviceNumber) {
      throw problem(422, 'not-a-change-filing', 'filingId names no change filing of this service', [
        {
          path: 'filingId',
          rule: 'not_a_change_filing',
          message: 'filingId must name a change filing of this service',
        },
      ]);
    }
  }

  async decide(
    actor: Actor,
    campaignId: string,
    serviceNumber: string,
    body: CampaignItemDecisionRequest,
  ): Promise<CampaignItemView> {
    const campaign = await this.visibleCampaign(actor, campaignId);
    const item = this.itemOfCampaign(campaign, serviceNumber);
    if (item.decision?.decision === body.decision) return item;
    if (item.state !== 'escalated')
      throw problem(409, 'campaign-item-not-escalated', 'only an escalated item is decided');
    await this.update(campaignId, item, (handle) =>
      handle.executeUpdate(decideItemUpdate, { args: [{ ...body, decidedBy: actor.id }] }),
    );
    return this.itemOfCampaign((await loadCampaign(this.eventLog, campaignId)) ?? campaign, serviceNumber);
  }

  /** An update the child's validator refuses (raced past the checks above) is a conflict. */
  private async update(
    campaignId: string,
    item: CampaignItemView,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>,
  ): Promise<void> {
    try {
      await send(this.client.workflow.getHandle(campaignItemWorkflowId(campaignId, item.index)));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw problem(409, 'campaign-item-closed', 'the item no longer takes this');
      }
      throw error;
    }
  }
}
