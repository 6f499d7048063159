import { CampaignDomainError, type CampaignErrorCode } from './campaign-errors';
import type { CampaignItemEvent } from './campaign-events';
import {
  type CampaignItemCommand,
  decideCampaignItem,
  evolveCampaignItem,
  initialCampaignItemState,
  isSettledItem,
  progressStateOf,
} from './campaign-item';

/** given(events).when(command).then(events) for the item decider, as test/support/decider-spec.ts reads. */
function given(...history: CampaignItemEvent[]) {
  const state = history.reduce(evolveCampaignItem, initialCampaignItemState);
  return {
    state,
    when(command: CampaignItemCommand) {
      return {
        then(...expected: CampaignItemEvent[]) {
          const produced = decideCampaignItem(command, state);
          expect(produced).toEqual(expected);
          expect(() => produced.reduce(evolveCampaignItem, state)).not.toThrow();
        },
        thenThrows(code: CampaignErrorCode) {
          expect(() => decideCampaignItem(command, state)).toThrow(CampaignDomainError);
          expect(() => decideCampaignItem(command, state)).toThrow(
            expect.objectContaining({ code }) as unknown as Error,
          );
        },
      };
    },
  };
}

const REF = { campaignId: 'c-1', serviceNumber: '粤ICP备2026000001号-1A' };
const PLATFORM = { role: 'platform', id: 'wechat' } as const;
const answered = (answer: 'confirmed' | 'change_filed' | 'refused'): CampaignItemEvent => ({
  type: 'CampaignItemAnswered',
  data: { ...REF, answer, respondent: PLATFORM },
});
const escalated = (reason: 'overdue' | 'refused'): CampaignItemEvent => ({
  type: 'CampaignItemEscalated',
  data: { ...REF, reason },
});
const decided = (decision: 'withdraw_access' | 'no_action'): CampaignItemEvent => ({
  type: 'CampaignItemDecided',
  data: { ...REF, decision, note: '逾期未答复', decidedBy: 'officer-440000' },
});
const WITHDRAWALS = [{ ispName: '中国电信', withdrawalId: 'w-1', withdrawnOn: '2026-12-20' }];
const withdrawn: CampaignItemEvent = {
  type: 'CampaignItemAccessWithdrawn',
  data: { ...REF, withdrawals: WITHDRAWALS },
};
const answer = (value: 'confirmed' | 'change_filed' | 'refused'): CampaignItemCommand => ({
  type: 'AnswerItem',
  ...REF,
  answer: value,
  respondent: PLATFORM,
});

describe('campaign item decider', () => {
  it('records a respondent’s answer once; a retry of the same answer adds nothing', () => {
    given().when(answer('confirmed')).then(answered('confirmed'));
    given(answered('confirmed')).when(answer('confirmed')).then();
    given(answered('confirmed')).when(answer('change_filed')).thenThrows('already_answered');
  });

  it('refuses an answer once the item went to the bureau', () => {
    given(escalated('overdue')).when(answer('confirmed')).thenThrows('escalated');
    given(escalated('overdue'), decided('no_action')).when(answer('confirmed')).thenThrows('escalated');
  });

  it('escalates an unanswered item as overdue and a refusal as refused, once', () => {
    given()
      .when({ type: 'EscalateItem', ...REF, reason: 'overdue' })
      .then(escalated('overdue'));
    given(answered('refused'))
      .when({ type: 'EscalateItem', ...REF, reason: 'refused' })
      .then(escalated('refused'));
    given(escalated('overdue'))
      .when({ type: 'EscalateItem', ...REF, reason: 'overdue' })
      .then();
    given(answered('confirmed'))
      .when({ type: 'EscalateItem', ...REF, reason: 'overdue' })
      .thenThrows('already_answered');
  });

  it('takes the bureau’s decision only on an escalated item', () => {
    const decide = (decision: 'withdraw_access' | 'no_action'): CampaignItemCommand => ({
      type: 'DecideItem',
      ...REF,
      decision,
      note: '逾期未答复',
      decidedBy: 'officer-440000',
    });
    given(escalated('overdue')).when(decide('withdraw_access')).then(decided('withdraw_access'));
    given().when(decide('no_action')).thenThrows('not_escalated');
    given(escalated('overdue'), decided('no_action')).when(decide('no_action')).then();
    given(escalated('overdue'), decided('no_action'))
      .when(decide('withdraw_access'))
      .thenThrows('already_decided');
  });

  it('records the withdrawals only after a withdraw_access decision', () => {
    const record: CampaignItemCommand = { type: 'RecordAccessWithdrawn', ...REF, withdrawals: WITHDRAWALS };
    given(escalated('overdue'), decided('withdraw_access')).when(record).then(withdrawn);
    given(escalated('overdue'), decided('withdraw_access'), withdrawn).when(record).then();
    given(escalated('overdue'), decided('no_action')).when(record).thenThrows('not_decided_withdraw');
  });

  it('counts progress and settlement from the fold', () => {
    const cases: Array<[CampaignItemEvent[], string, boolean]> = [
      [[], 'awaiting', false],
      [[answered('confirmed')], 'confirmed', true],
      [[answered('change_filed')], 'change_filed', true],
      [[answered('refused')], 'escalated', false],
      [[escalated('overdue')], 'escalated', false],
      [[escalated('overdue'), decided('no_action')], 'decided', true],
      [[escalated('overdue'), decided('withdraw_access')], 'decided', false],
      [[escalated('overdue'), decided('withdraw_access'), withdrawn], 'access_withdrawn', true],
    ];
    for (const [history, progress, settled] of cases) {
      const state = given(...history).state;
      expect([progressStateOf(state), isSettledItem(state)]).toEqual([progress, settled]);
    }
  });
});
