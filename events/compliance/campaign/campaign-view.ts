import type { RecordedEvent } from '../../ports/event-log.port';
import type { CampaignState } from './campaign';
import type {
  CampaignItemAnsweredData,
  CampaignItemDecidedData,
  CampaignOpenedData,
} from './campaign-events';
import {
  type CampaignItemProgressState,
  type CampaignItemState,
  foldCampaignItem,
  progressStateOf,
} from './campaign-item';

export type CampaignProgress = { total: number } & Record<CampaignItemProgressState, number>;

export interface CampaignItemView {
  serviceNumber: string;
  /** Its place in the campaign: the child workflow is `compliance-campaign-<campaignId>-<index>`. */
  index: number;
  state: CampaignItemProgressState;
  respondents: CampaignOpenedData['items'][number]['respondents'];
  escalationReason?: string;
  answer?: Pick<CampaignItemAnsweredData, 'answer' | 'respondent' | 'filingId' | 'note'>;
  decision?: Pick<CampaignItemDecidedData, 'decision' | 'note'>;
}

export interface CampaignView {
  campaignId: string;
  province: string;
  name: string;
  status: 'open' | 'closed';
  dueOn: string;
  dueAt: string;
  selection: CampaignOpenedData['selection'];
  progress: CampaignProgress;
}

export function emptyProgress(total: number): CampaignProgress {
  return {
    total,
    awaiting: 0,
    confirmed: 0,
    change_filed: 0,
    escalated: 0,
    decided: 0,
    access_withdrawn: 0,
  };
}

/** Item events of one campaign (its item streams, any order between streams) folded per stream. */
export function itemStatesOf(itemEvents: readonly RecordedEvent[]): Map<string, CampaignItemState> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of itemEvents) {
    const list = byStream.get(event.streamId) ?? [];
    list.push(event);
    byStream.set(event.streamId, list);
  }
  const states = new Map<string, CampaignItemState>();
  for (const events of byStream.values()) {
    const serviceNumber = (events[0]?.data as { serviceNumber?: string } | undefined)?.serviceNumber;
    const ordered = [...events].sort((a, b) => a.revision - b.revision);
    if (serviceNumber !== undefined) states.set(serviceNumber, foldCampaignItem(ordered));
  }
  return states;
}

function itemView(
  spec: CampaignOpenedData['items'][number],
  index: number,
  state: CampaignItemState,
): CampaignItemView {
  const view: CampaignItemView = {
    serviceNumber: spec.serviceNumber,
    index,
    state: progressStateOf(state),
    respondents: spec.respondents,
  };
  if (state.status !== 'awaiting') {
    const { answer, respondent, filingId, note } = state.answer ?? {};
    if (answer && respondent) view.answer = { answer, respondent, filingId, note };
  }
  if (state.status === 'escalated' || state.status === 'decided' || state.status === 'access_withdrawn') {
    view.escalationReason = state.reason;
  }
  if (state.status === 'decided' || state.status === 'access_withdrawn') {
    view.decision = { decision: state.decision.decision, note: state.decision.note };
  }
  return view;
}

/** Every item of the campaign, in campaign order (items without events are awaiting). */
export function campaignItemViews(
  opened: CampaignOpenedData,
  states: ReadonlyMap<string, CampaignItemState>,
): CampaignItemView[] {
  return opened.items.map((spec, index) =>
    itemView(spec, index, states.get(spec.serviceNumber) ?? { status: 'awaiting' }),
  );
}

export function campaignView(
  state: Exclude<CampaignState, { status: 'none' }>,
  items: readonly CampaignItemView[],
): CampaignView {
  const { opened } = state;
  const progress = emptyProgress(items.length);
  for (const item of items) progress[item.state] += 1;
  return {
    campaignId: opened.campaignId,
    province: opened.province,
    name: opened.name,
    status: state.status,
    dueOn: opened.dueOn,
    dueAt: opened.dueAt,
    selection: opened.selection,
    progress,
  };
}
