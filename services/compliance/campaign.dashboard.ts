import type { CampaignView } from '../../events/compliance/campaign/campaign-view';
import type { EventLog } from '../../events/ports/event-log.port';
import { loadCampaigns } from './campaign.views';

/** The SLA dashboard's campaign section: open accuracy campaigns with their progress. */
export interface OpenCampaignsSection {
  campaigns: Array<Pick<CampaignView, 'campaignId' | 'province' | 'name' | 'dueOn' | 'progress'>>;
}

/** Folded from the campaign and item streams; empty when no event log is wired (figures-only tests). */
export async function openCampaignsSection(
  eventLog: EventLog | undefined,
  province: string | undefined,
): Promise<OpenCampaignsSection> {
  if (!eventLog) return { campaigns: [] };
  const campaigns = (await loadCampaigns(eventLog, province)).filter((c) => c.view.status === 'open');
  return {
    campaigns: campaigns.map(({ view }) => ({
      campaignId: view.campaignId,
      province: view.province,
      name: view.name,
      dueOn: view.dueOn,
      progress: view.progress,
    })),
  };
}
