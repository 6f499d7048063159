import type { BureauDecision } from '../../events/filing/filing-commands';
import {
  fieldReasonsField,
  fieldReasonsRequiredWhen,
  noFieldReasonsWhen,
  reasonsField,
  type ReviewBody,
} from '../filings/filings.requests';
import { type PageQuery, pageFields, queryOf, withDefaultLimit } from '../http/query-parameters';
import { jsonBody, nonBlankWhen } from '../http/request-bodies';
import { choiceField, type Parsed, required } from '../http/request-fields';

/** Approve, reject (with the explanation), or return for correction (the explanation and ≥ 1 field reason). */
export const bureauReviewBody = jsonBody(
  {
    decision: required(choiceField(['approve', 'reject', 'return'] as const)),
    reasons: reasonsField,
    fieldReasons: fieldReasonsField,
  },
  [
    nonBlankWhen('reasons', 'decision', ['reject', 'return']),
    fieldReasonsRequiredWhen('decision', ['return']),
    noFieldReasonsWhen('decision', ['approve']),
  ],
);

export function parseBureauReview(body: unknown): Parsed<ReviewBody<BureauDecision>> {
  return bureauReviewBody.parse(body) as Parsed<ReviewBody<BureauDecision>>;
}

/** The province's shell subjects: paging only. */
export const shellSubjectsQuery = queryOf(pageFields('shell-subjects-cursor'));

export function parseShellSubjects(input: unknown): Parsed<PageQuery> {
  const parsed = shellSubjectsQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
