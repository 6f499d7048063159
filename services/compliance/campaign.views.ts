import { foldCampaign } from '../../events/compliance/campaign/campaign';
import {
  type CampaignItemView,
  type CampaignView,
  campaignItemViews,
  campaignView,
  itemStatesOf,
} from '../../events/compliance/campaign/campaign-view';
import type { CampaignOpenedData } from '../../events/compliance/campaign/campaign-events';
import {
  CAMPAIGN_STREAM_PREFIX,
  campaignItemStreamPrefix,
  campaignStreamId,
} from '../../events/compliance/compliance-streams';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';

export interface LoadedCampaign {
  view: CampaignView;
  opened: CampaignOpenedData;
  items: CampaignItemView[];
}

/** A campaign and its items, folded from its stream and its item streams; undefined when unknown. */
export async function loadCampaign(
  eventLog: EventLog,
  campaignId: string,
): Promise<LoadedCampaign | undefined> {
  const state = foldCampaign(await eventLog.readStream(campaignStreamId(campaignId)));
  if (state.status === 'none') return undefined;
  const itemEvents = await eventLog.readAll({ streamPrefix: campaignItemStreamPrefix(campaignId) });
  const items = campaignItemViews(state.opened, itemStatesOf(itemEvents));
  return { view: campaignView(state, items), opened: state.opened, items };
}

/** Every campaign in the log (optionally one province's), each with its progress. */
export async function loadCampaigns(eventLog: EventLog, province?: string): Promise<LoadedCampaign[]> {
  const events = await eventLog.readAll({ streamPrefix: CAMPAIGN_STREAM_PREFIX });
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  const loaded: LoadedCampaign[] = [];
  for (const stream of byStream.values()) {
    const state = foldCampaign(stream);
    if (state.status === 'none' || (province !== undefined && state.opened.province !== province)) continue;
    const campaign = await loadCampaign(eventLog, state.opened.campaignId);
    if (campaign) loaded.push(campaign);
  }
  return loaded;
}
