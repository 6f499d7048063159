import { assertNever } from '../../assert-never';
import type { RecordedEvent } from '../../ports/event-log.port';
import { CampaignDomainError } from './campaign-errors';
import type { CampaignClosedData, CampaignEvent, CampaignOpenedData } from './campaign-events';

/** The campaign stream: opened with its services and due date, closed once every item is settled. */
export type CampaignState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly opened: CampaignOpenedData }
  | { readonly status: 'closed'; readonly opened: CampaignOpenedData; readonly closedOn: string };

export type CampaignCommand =
  | { readonly type: 'OpenCampaign'; readonly data: CampaignOpenedData }
  | { readonly type: 'CloseCampaign'; readonly data: CampaignClosedData };

export const initialCampaignState: CampaignState = { status: 'none' };

function decideOpen(
  command: Extract<CampaignCommand, { type: 'OpenCampaign' }>,
  state: CampaignState,
): CampaignEvent[] {
  if (state.status === 'none') return [{ type: 'CampaignOpened', data: command.data }];
  // The same campaign opened again (a retried activity): already done.
  if (state.opened.campaignId === command.data.campaignId) return [];
  throw new CampaignDomainError('already_open', 'another campaign holds this stream');
}

function decideClose(
  command: Extract<CampaignCommand, { type: 'CloseCampaign' }>,
  state: CampaignState,
): CampaignEvent[] {
  switch (state.status) {
    case 'none':
      throw new CampaignDomainError('not_open', 'the campaign was never opened');
    case 'open':
      return [{ type: 'CampaignClosed', data: command.data }];
    case 'closed':
      return [];
    default:
      return assertNever(state, 'campaign state');
  }
}

export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'OpenCampaign':
      return decideOpen(command, state);
    case 'CloseCampaign':
      return decideClose(command, state);
    default:
      return assertNever(command, 'campaign command');
  }
}

export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignOpened':
      return { status: 'open', opened: event.data };
    case 'CampaignClosed':
      if (state.status === 'none') throw new Error('CampaignClosed before CampaignOpened');
      return { status: 'closed', opened: state.opened, closedOn: event.data.closedOn };
    default:
      return assertNever(event, 'campaign event');
  }
}

export function foldCampaign(recorded: readonly Pick<RecordedEvent, 'type' | 'data'>[]): CampaignState {
  return recorded.reduce(
    (state, event) =>
      evolveCampaign(state, { type: event.type, data: event.data } as unknown as CampaignEvent),
    initialCampaignState,
  );
}
