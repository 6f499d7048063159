import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  CampaignAnswer,
  CampaignDecision,
  CampaignItemSpec,
  CampaignRespondent,
  CampaignRespondents,
  CampaignSelection,
} from '../../events/compliance/campaign/campaign-events';
import type { CampaignItemProgressState } from '../../events/compliance/campaign/campaign-item';

/** What the API starts `accuracyCampaignWorkflow` with: the selection already resolved. */
export interface AccuracyCampaignInput {
  campaignId: string;
  province: string;
  name: string;
  selection: CampaignSelection;
  items: CampaignItemSpec[];
  answerWithinWorkingDays: number;
  /** The bureau officer (token subject). */
  openedBy: string;
  /** When the bureau submitted it (ISO 8601): the working days count from its China date. */
  openedAt: string;
}

export interface CampaignItemInput {
  campaignId: string;
  campaignName: string;
  serviceNumber: string;
  respondents: CampaignRespondents;
  /** End of the last day to answer (UTC ISO instant). */
  dueAt: string;
}

export interface CampaignItemOutcome {
  serviceNumber: string;
  state: CampaignItemProgressState;
}

export interface CampaignOutcome {
  campaignId: string;
  items: number;
  dueAt: string;
}

export interface AnswerItemInput {
  answer: CampaignAnswer;
  respondent: CampaignRespondent;
  /** change_filed: the change filing (checked against the registry read side by the API). */
  filingId?: string;
  note?: string;
  /** The respondent's user (token subject): the event's recordedBy.id. */
  recordedById: string;
}

export interface DecideItemInput {
  decision: CampaignDecision;
  note: string;
  /** The bureau officer (token subject). */
  decidedBy: string;
}

/** A respondent answers the service's item: accepted until the due date, once. */
export const answerItemUpdate = defineUpdate<CampaignItemProgressState, [AnswerItemInput]>('answerItem');
/** The bureau decides an escalated item. */
export const decideItemUpdate = defineUpdate<CampaignItemProgressState, [DecideItemInput]>('decideItem');
export const itemStateQuery = defineQuery<CampaignItemProgressState>('itemState');

export function campaignWorkflowId(campaignId: string): string {
  return `compliance-campaign-${campaignId}`;
}

/** The child of the item at `index` in the campaign's items (CampaignOpened order). */
export function campaignItemWorkflowId(campaignId: string, index: number): string {
  return `compliance-campaign-${campaignId}-${index}`;
}

/** Whether the respondent is one of the service's (its filing's platform, or an ISP serving it). */
export function isRespondentOf(respondents: CampaignRespondents, respondent: CampaignRespondent): boolean {
  if (respondent.role === 'platform') return respondents.platformId === respondent.id;
  if (respondent.role === 'isp') return respondents.ispNames.includes(respondent.id);
  return false;
}
