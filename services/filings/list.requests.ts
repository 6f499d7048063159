import { FILING_KINDS, type FilingKind } from '../../events/filing/filing-kind';
import { FILING_STAGES, type FilingStage, type FilingStatus } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { PROVINCE_CODES } from '../../events/form/checks/place-checks';
import { pageFields, type PageQuery, queryOf, withDefaultLimit } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';

export interface FilingListQuery extends PageQuery {
  status?: FilingStatus;
  stage?: FilingStage;
  kind?: FilingKind;
  province?: string;
}

export const filingListQuery = queryOf({
  status: choiceField(Object.keys(LEGAL_TRANSITIONS) as FilingStatus[]),
  stage: choiceField(FILING_STAGES),
  kind: choiceField(FILING_KINDS),
  province: choiceField(PROVINCE_CODES, 'unknown_province'),
  ...pageFields('filings-cursor'),
});

export function parseFilingList(input: unknown): Parsed<FilingListQuery> {
  const parsed = filingListQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
