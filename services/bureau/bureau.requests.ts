import type { BureauDecision } from '../../events/filing/filing-commands';
import { reasonsField } from '../filings/filings.requests';
import { jsonBody, nonBlankWhen } from '../http/request-bodies';
import { choiceField, type Parsed, required } from '../http/request-fields';

export const bureauReviewBody = jsonBody(
  { decision: required(choiceField(['approve', 'reject'] as const)), reasons: reasonsField },
  [nonBlankWhen('reasons', 'decision', ['reject'])],
);

export function parseBureauReview(body: unknown): Parsed<{ decision: BureauDecision; reasons?: string }> {
  return bureauReviewBody.parse(body) as Parsed<{ decision: BureauDecision; reasons?: string }>;
}
