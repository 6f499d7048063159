import { FILING_KINDS, type FilingKind } from '../../events/filing/filing-kind';
import { PROVINCE_CODES } from '../../events/form/checks/place-checks';
import { queryOf } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';

export interface SlaDashboardRequest {
  province?: string;
  kind?: FilingKind;
}

/** `?province=` (optional GB/T 2260 province code) and `?kind=` (optional filing kind); nothing else. */
export const slaDashboardQuery = queryOf({
  province: choiceField(PROVINCE_CODES, 'unknown_province'),
  kind: choiceField(FILING_KINDS),
});

export function parseSlaDashboardQuery(input: unknown): Parsed<SlaDashboardRequest> {
  const parsed = slaDashboardQuery.parse(input);
  if (!parsed.ok) return parsed;
  const { province, kind } = parsed.value;
  return {
    ok: true,
    value: { ...(province !== undefined && { province }), ...(kind !== undefined && { kind }) },
  };
}
