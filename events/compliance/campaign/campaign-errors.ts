/** Why a campaign command is refused: the API maps these to 404, 409 or 422. */
export type CampaignErrorCode =
  | 'not_open'
  | 'already_open'
  | 'already_closed'
  | 'not_in_campaign'
  | 'already_answered'
  | 'escalated'
  | 'not_escalated'
  | 'already_decided'
  | 'not_decided_withdraw';

export class CampaignDomainError extends Error {
  override readonly name = 'CampaignDomainError';
  constructor(
    readonly code: CampaignErrorCode,
    message: string,
  ) {
    super(message);
  }
}
