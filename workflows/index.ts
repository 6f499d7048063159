export { filingWorkflow } from './filing/filing.workflow';
export { systemCheckWorkflow } from './system-check.workflow';
export type { SystemCheckResult } from './system-check.workflow';
export { accessWithdrawalWorkflow } from './registry/access-withdrawal.workflow';
export { deadlineSweepWorkflow } from './compliance/sweep.workflow';
export { inspectionWorkflow } from './compliance/inspection.workflow';
export { accuracyCampaignWorkflow } from './compliance/campaign.workflow';
export { campaignItemWorkflow } from './compliance/campaign-item.workflow';
