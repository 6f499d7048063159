import { type ChildWorkflowHandle, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { campaignItemWorkflow } from './campaign-item.workflow';
import {
  type AccuracyCampaignInput,
  type CampaignOutcome,
  campaignItemWorkflowId,
} from './campaign.definitions';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** Children started together: a campaign of thousands does not start them in one workflow task. */
export const CAMPAIGN_CHILD_BATCH = 50;

/**
 * One accuracy campaign of a provincial bureau: the due date (working days, through the calendar
 * activity), CampaignOpened, a child per service started in batches, and CampaignClosed once every
 * child is done (answered, or escalated and decided).
 */
export async function accuracyCampaignWorkflow(input: AccuracyCampaignInput): Promise<CampaignOutcome> {
  const { dueAt } = await activities.computeDeadline({
    from: input.openedAt,
    workingDays: input.answerWithinWorkingDays,
  });
  await activities.openCampaign({
    opened: {
      campaignId: input.campaignId,
      province: input.province,
      name: input.name,
      selection: input.selection,
      serviceNumbers: input.items.map((item) => item.serviceNumber),
      items: input.items,
      answerWithinWorkingDays: input.answerWithinWorkingDays,
      dueAt,
      dueOn: chinaDateOfEpochMs(Date.parse(dueAt)),
      openedBy: input.openedBy,
    },
    at: new Date().toISOString(),
  });
  const children: Array<ChildWorkflowHandle<typeof campaignItemWorkflow>> = [];
  for (let from = 0; from < input.items.length; from += CAMPAIGN_CHILD_BATCH) {
    const batch = input.items.slice(from, from + CAMPAIGN_CHILD_BATCH);
    const started = await Promise.all(
      batch.map((item, offset) =>
        startChild(campaignItemWorkflow, {
          workflowId: campaignItemWorkflowId(input.campaignId, from + offset),
          args: [
            {
              campaignId: input.campaignId,
              campaignName: input.name,
              serviceNumber: item.serviceNumber,
              respondents: item.respondents,
              dueAt,
            },
          ],
        }),
      ),
    );
    children.push(...started);
  }
  await Promise.all(children.map((child) => child.result()));
  await activities.closeCampaign({ campaignId: input.campaignId, at: new Date().toISOString() });
  return { campaignId: input.campaignId, items: input.items.length, dueAt };
}
