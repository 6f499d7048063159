import type { ComplianceParty } from '../compliance-party';

/** How a bureau picks the services a campaign checks; resolved against the registry at submission. */
export interface CampaignSelection {
  readonly ispName?: string;
  readonly serviceType?: 'website' | 'app' | 'mini_program' | 'quick_app';
  readonly sampleSize: number;
}

/** Who may answer for one service: its filing's platform (when known) and each ISP serving it. */
export interface CampaignRespondents {
  readonly platformId?: string;
  readonly ispNames: readonly string[];
}

export interface CampaignItemSpec {
  readonly serviceNumber: string;
  readonly respondents: CampaignRespondents;
}

export interface CampaignOpenedData {
  readonly campaignId: string;
  readonly province: string;
  readonly name: string;
  readonly selection: CampaignSelection;
  readonly serviceNumbers: readonly string[];
  readonly items: readonly CampaignItemSpec[];
  readonly answerWithinWorkingDays: number;
  /** End of the last working day to answer, China time, as a UTC instant; dueOn its China date. */
  readonly dueAt: string;
  readonly dueOn: string;
  /** The bureau officer (token subject). */
  readonly openedBy: string;
}

export interface CampaignClosedData {
  readonly campaignId: string;
  readonly closedOn: string;
}

export type CampaignEvent =
  | { readonly type: 'CampaignOpened'; readonly data: CampaignOpenedData }
  | { readonly type: 'CampaignClosed'; readonly data: CampaignClosedData };

export const CAMPAIGN_ANSWERS = ['confirmed', 'change_filed', 'refused'] as const;
export type CampaignAnswer = (typeof CAMPAIGN_ANSWERS)[number];

export const CAMPAIGN_DECISIONS = ['withdraw_access', 'no_action'] as const;
export type CampaignDecision = (typeof CAMPAIGN_DECISIONS)[number];

export type CampaignEscalationReason = 'overdue' | 'refused';

/** The party answering: a platform (by platformId) or an ISP (by name). */
export interface CampaignRespondent {
  readonly role: 'platform' | ComplianceParty['role'];
  readonly id: string;
}

/** Every item event names its campaign and service, so an item stream folds on its own. */
interface ItemRef {
  readonly campaignId: string;
  readonly serviceNumber: string;
}

export interface CampaignItemAnsweredData extends ItemRef {
  readonly answer: CampaignAnswer;
  readonly respondent: CampaignRespondent;
  /** change_filed: the change filing of the service. */
  readonly filingId?: string;
  readonly note?: string;
}

export interface CampaignItemEscalatedData extends ItemRef {
  readonly reason: CampaignEscalationReason;
}

export interface CampaignItemDecidedData extends ItemRef {
  readonly decision: CampaignDecision;
  readonly note: string;
  readonly decidedBy: string;
}

/** One ISP's withdrawal on the bureau's order: done (its China date) or refused by the registry. */
export interface CampaignWithdrawal {
  readonly ispName: string;
  readonly withdrawalId: string;
  readonly withdrawnOn?: string;
  readonly refused?: string;
}

export interface CampaignItemAccessWithdrawnData extends ItemRef {
  readonly withdrawals: readonly CampaignWithdrawal[];
}

export type CampaignItemEvent =
  | { readonly type: 'CampaignItemAnswered'; readonly data: CampaignItemAnsweredData }
  | { readonly type: 'CampaignItemEscalated'; readonly data: CampaignItemEscalatedData }
  | { readonly type: 'CampaignItemDecided'; readonly data: CampaignItemDecidedData }
  | { readonly type: 'CampaignItemAccessWithdrawn'; readonly data: CampaignItemAccessWithdrawnData };
