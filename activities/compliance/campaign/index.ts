export {
  type CampaignActivities,
  type CampaignActivityDeps,
  campaignWithdrawalIdOf,
  createCampaignActivities,
} from './campaign.activities';
