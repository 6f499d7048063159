import type { BureauDecision } from '../../events/filing/filing-commands';
import { reasonsField } from '../filings/filings.requests';
import { type PageQuery, pageFields, queryOf, withDefaultLimit } from '../http/query-parameters';
import { jsonBody, nonBlankWhen } from '../http/request-bodies';
import { choiceField, type Parsed, required } from '../http/request-fields';

export const bureauReviewBody = jsonBody(
  { decision: required(choiceField(['approve', 'reject'] as const)), reasons: reasonsField },
  [nonBlankWhen('reasons', 'decision', ['reject'])],
);

export function parseBureauReview(body: unknown): Parsed<{ decision: BureauDecision; reasons?: string }> {
  return bureauReviewBody.parse(body) as Parsed<{ decision: BureauDecision; reasons?: string }>;
}

/** The province's shell subjects: paging only. */
export const shellSubjectsQuery = queryOf(pageFields('shell-subjects-cursor'));

export function parseShellSubjects(input: unknown): Parsed<PageQuery> {
  const parsed = shellSubjectsQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
