import { assertNever } from '../../assert-never';
import type { RecordedEvent } from '../../ports/event-log.port';
import { CampaignDomainError } from './campaign-errors';
import type {
  CampaignDecision,
  CampaignEscalationReason,
  CampaignItemAnsweredData,
  CampaignItemDecidedData,
  CampaignItemEvent,
  CampaignWithdrawal,
} from './campaign-events';

/**
 * One service's part in a campaign: awaiting an answer; answered (a refusal stays `answered` until
 * the workflow escalates it); escalated to the bureau (overdue or refused); decided by the bureau;
 * access withdrawn on that decision. A deadline escalates, it never decides.
 */
export type CampaignItemState =
  | { readonly status: 'awaiting' }
  | { readonly status: 'answered'; readonly answer: CampaignItemAnsweredData }
  | {
      readonly status: 'escalated';
      readonly reason: CampaignEscalationReason;
      readonly answer?: CampaignItemAnsweredData;
    }
  | {
      readonly status: 'decided';
      readonly reason: CampaignEscalationReason;
      readonly answer?: CampaignItemAnsweredData;
      readonly decision: CampaignItemDecidedData;
    }
  | {
      readonly status: 'access_withdrawn';
      readonly reason: CampaignEscalationReason;
      readonly answer?: CampaignItemAnsweredData;
      readonly decision: CampaignItemDecidedData;
      readonly withdrawals: readonly CampaignWithdrawal[];
    };

interface ItemRef {
  readonly campaignId: string;
  readonly serviceNumber: string;
}

export type CampaignItemCommand =
  | ({ readonly type: 'AnswerItem' } & CampaignItemAnsweredData)
  | ({ readonly type: 'EscalateItem'; readonly reason: CampaignEscalationReason } & ItemRef)
  | ({ readonly type: 'DecideItem' } & CampaignItemDecidedData)
  | ({
      readonly type: 'RecordAccessWithdrawn';
      readonly withdrawals: readonly CampaignWithdrawal[];
    } & ItemRef);

export const initialCampaignItemState: CampaignItemState = { status: 'awaiting' };

const ref = (command: ItemRef): ItemRef => ({
  campaignId: command.campaignId,
  serviceNumber: command.serviceNumber,
});

function decideAnswer(
  command: Extract<CampaignItemCommand, { type: 'AnswerItem' }>,
  state: CampaignItemState,
): CampaignItemEvent[] {
  const { type: _type, ...data } = command;
  switch (state.status) {
    case 'awaiting':
      return [{ type: 'CampaignItemAnswered', data }];
    case 'answered':
      if (state.answer.answer === data.answer && state.answer.respondent.id === data.respondent.id) return [];
      throw new CampaignDomainError('already_answered', 'the item was answered already');
    case 'escalated':
    case 'decided':
    case 'access_withdrawn':
      throw new CampaignDomainError('escalated', 'the item was escalated to the bureau');
    default:
      return assertNever(state, 'campaign item state');
  }
}

function decideEscalation(
  command: Extract<CampaignItemCommand, { type: 'EscalateItem' }>,
  state: CampaignItemState,
): CampaignItemEvent[] {
  const escalated: CampaignItemEvent = {
    type: 'CampaignItemEscalated',
    data: { ...ref(command), reason: command.reason },
  };
  switch (state.status) {
    case 'awaiting':
      if (command.reason === 'overdue') return [escalated];
      throw new CampaignDomainError('not_escalated', 'only a refusal escalates as refused');
    case 'answered':
      if (state.answer.answer === 'refused' && command.reason === 'refused') return [escalated];
      throw new CampaignDomainError('already_answered', 'the item was answered');
    case 'escalated':
    case 'decided':
    case 'access_withdrawn':
      return [];
    default:
      return assertNever(state, 'campaign item state');
  }
}

function decideDecision(
  command: Extract<CampaignItemCommand, { type: 'DecideItem' }>,
  state: CampaignItemState,
): CampaignItemEvent[] {
  const { type: _type, ...data } = command;
  switch (state.status) {
    case 'awaiting':
    case 'answered':
      throw new CampaignDomainError('not_escalated', 'only an escalated item is decided');
    case 'escalated':
      return [{ type: 'CampaignItemDecided', data }];
    case 'decided':
    case 'access_withdrawn':
      if (state.decision.decision === data.decision) return [];
      throw new CampaignDomainError('already_decided', 'the bureau decided this item already');
    default:
      return assertNever(state, 'campaign item state');
  }
}

function decideWithdrawn(
  command: Extract<CampaignItemCommand, { type: 'RecordAccessWithdrawn' }>,
  state: CampaignItemState,
): CampaignItemEvent[] {
  if (state.status === 'access_withdrawn') return [];
  if (state.status !== 'decided' || state.decision.decision !== 'withdraw_access') {
    throw new CampaignDomainError('not_decided_withdraw', 'access is withdrawn only on a bureau decision');
  }
  return [
    { type: 'CampaignItemAccessWithdrawn', data: { ...ref(command), withdrawals: command.withdrawals } },
  ];
}

export function decideCampaignItem(
  command: CampaignItemCommand,
  state: CampaignItemState,
): CampaignItemEvent[] {
  switch (command.type) {
    case 'AnswerItem':
      return decideAnswer(command, state);
    case 'EscalateItem':
      return decideEscalation(command, state);
    case 'DecideItem':
      return decideDecision(command, state);
    case 'RecordAccessWithdrawn':
      return decideWithdrawn(command, state);
    default:
      return assertNever(command, 'campaign item command');
  }
}

function answerOf(state: CampaignItemState): CampaignItemAnsweredData | undefined {
  return state.status === 'awaiting' ? undefined : state.answer;
}

export function evolveCampaignItem(state: CampaignItemState, event: CampaignItemEvent): CampaignItemState {
  switch (event.type) {
    case 'CampaignItemAnswered':
      return { status: 'answered', answer: event.data };
    case 'CampaignItemEscalated': {
      const answer = answerOf(state);
      return { status: 'escalated', reason: event.data.reason, ...(answer && { answer }) };
    }
    case 'CampaignItemDecided':
      if (state.status !== 'escalated') throw new Error('CampaignItemDecided before CampaignItemEscalated');
      return { ...state, status: 'decided', decision: event.data };
    case 'CampaignItemAccessWithdrawn':
      if (state.status !== 'decided')
        throw new Error('CampaignItemAccessWithdrawn before CampaignItemDecided');
      return { ...state, status: 'access_withdrawn', withdrawals: event.data.withdrawals };
    default:
      return assertNever(event, 'campaign item event');
  }
}

export function foldCampaignItem(
  recorded: readonly Pick<RecordedEvent, 'type' | 'data'>[],
): CampaignItemState {
  return recorded.reduce(
    (state, event) =>
      evolveCampaignItem(state, { type: event.type, data: event.data } as unknown as CampaignItemEvent),
    initialCampaignItemState,
  );
}

/** What the campaign's progress counts an item as. */
export type CampaignItemProgressState =
  'awaiting' | 'confirmed' | 'change_filed' | 'escalated' | 'decided' | 'access_withdrawn';

export function progressStateOf(state: CampaignItemState): CampaignItemProgressState {
  switch (state.status) {
    case 'awaiting':
      return 'awaiting';
    case 'answered':
      // A refusal waits for its escalation: the bureau has it either way.
      return state.answer.answer === 'refused' ? 'escalated' : state.answer.answer;
    case 'escalated':
    case 'decided':
    case 'access_withdrawn':
      return state.status;
    default:
      return assertNever(state, 'campaign item state');
  }
}

/** Settled: nothing more will happen to the item (answered, decided no_action, or withdrawn). */
export function isSettledItem(state: CampaignItemState): boolean {
  const progress = progressStateOf(state);
  if (progress === 'decided') return state.status === 'decided' && state.decision.decision === 'no_action';
  return progress !== 'awaiting' && progress !== 'escalated';
}

export type { CampaignDecision };
