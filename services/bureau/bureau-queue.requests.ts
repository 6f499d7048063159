import { FILING_KINDS, type FilingKind } from '../../events/filing/filing-kind';
import { pageFields, type PageQuery, queryOf, withDefaultLimit } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';

export interface BureauQueueRequest extends PageQuery {
  kind?: FilingKind;
}

/** `?kind=&cursor=&limit=` of the bureau's queue: only filings of one kind, if given. */
export const bureauQueueQuery = queryOf({
  kind: choiceField(FILING_KINDS),
  ...pageFields('bureau-queue-cursor'),
});

export function parseBureauQueue(input: unknown): Parsed<BureauQueueRequest> {
  const parsed = bureauQueueQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
