import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CampaignItemProgressState } from '../../events/compliance/campaign/campaign-item';
import {
  type AnswerItemInput,
  type CampaignItemInput,
  type CampaignItemOutcome,
  type DecideItemInput,
  answerItemUpdate,
  decideItemUpdate,
  isRespondentOf,
  itemStateQuery,
} from './campaign.definitions';

// Appends wait at most 5 s for the SQLite lock; a withdrawal touches one registry stream per ISP.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** The item's handler state: what was answered and decided, and whether each is recorded yet. */
class CampaignItemRun {
  state: CampaignItemProgressState = 'awaiting';
  answered?: AnswerItemInput;
  answerRecorded = false;
  closedForAnswers = false;
  decision?: DecideItemInput;
  decisionRecorded = false;

  constructor(private readonly input: CampaignItemInput) {}

  validateAnswer(answer: AnswerItemInput): void {
    if (this.closedForAnswers || Date.now() >= Date.parse(this.input.dueAt)) {
      throw new Error('the due date has passed');
    }
    if (this.answered !== undefined) throw new Error('the item was answered already');
    if (!isRespondentOf(this.input.respondents, answer.respondent)) throw new Error('not a respondent');
  }

  async answer(answer: AnswerItemInput): Promise<CampaignItemProgressState> {
    this.answered = answer;
    const { campaignId, serviceNumber } = this.input;
    const { answer: value, respondent, filingId, note } = answer;
    try {
      this.state = await activities.recordCampaignItemAnswer({
        answered: {
          campaignId,
          serviceNumber,
          answer: value,
          respondent,
          ...(filingId !== undefined && { filingId }),
          ...(note !== undefined && { note }),
        },
        at: new Date().toISOString(),
        recordedBy: { role: respondent.role, id: answer.recordedById },
      });
    } catch (error) {
      // Not recorded (the log refused it): the item still awaits an answer.
      this.answered = undefined;
      throw error;
    }
    this.answerRecorded = true;
    return this.state;
  }

  validateDecision(_decision: DecideItemInput): void {
    if (this.state !== 'escalated' || this.decision !== undefined) {
      throw new Error('only an escalated item is decided, once');
    }
  }

  async decide(decision: DecideItemInput): Promise<CampaignItemProgressState> {
    this.decision = decision;
    const { campaignId, serviceNumber } = this.input;
    try {
      this.state = await activities.recordCampaignItemDecision({
        decided: { campaignId, serviceNumber, ...decision },
        at: new Date().toISOString(),
      });
    } catch (error) {
      this.decision = undefined;
      throw error;
    }
    this.decisionRecorded = true;
    return this.state;
  }

  /** Answer by the due date, or escalate; then the bureau decides; then its withdrawal, if ordered. */
  async run(): Promise<void> {
    const remaining = Date.parse(this.input.dueAt) - Date.now();
    if (remaining > 0) await condition(() => this.answerRecorded, remaining);
    this.closedForAnswers = true;
    // An answer accepted just before the due date may still be recording.
    await condition(() => this.answerRecorded || this.answered === undefined);
    if (this.answered !== undefined && this.answered.answer !== 'refused') return;
    const { campaignId, serviceNumber } = this.input;
    this.state = await activities.escalateCampaignItem({
      campaignId,
      serviceNumber,
      reason: this.answered === undefined ? 'overdue' : 'refused',
      at: new Date().toISOString(),
    });
    // A deadline escalates; only the bureau decides.
    await condition(() => this.decisionRecorded);
    if (this.decision?.decision !== 'withdraw_access') return;
    await activities.withdrawCampaignItemAccess({
      campaignId,
      serviceNumber,
      campaignName: this.input.campaignName,
      ispNames: [...this.input.respondents.ispNames],
      decidedBy: this.decision.decidedBy,
      at: new Date().toISOString(),
    });
    this.state = 'access_withdrawn';
  }
}

/** One service of an accuracy campaign (a child of `accuracyCampaignWorkflow`). */
export async function campaignItemWorkflow(input: CampaignItemInput): Promise<CampaignItemOutcome> {
  const item = new CampaignItemRun(input);
  setHandler(answerItemUpdate, (answer) => item.answer(answer), {
    validator: (answer) => item.validateAnswer(answer),
  });
  setHandler(decideItemUpdate, (decision) => item.decide(decision), {
    validator: (decision) => item.validateDecision(decision),
  });
  setHandler(itemStateQuery, () => item.state);
  await item.run();
  await condition(allHandlersFinished);
  return { serviceNumber: input.serviceNumber, state: item.state };
}
