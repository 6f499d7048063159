import { PROVINCE_CODES } from '../../events/form/checks/place-checks';
import { queryOf } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';

export interface SlaDashboardRequest {
  province?: string;
}

/** `?province=` (optional GB/T 2260 province code); nothing else. */
export const slaDashboardQuery = queryOf({ province: choiceField(PROVINCE_CODES, 'unknown_province') });

export function parseSlaDashboardQuery(input: unknown): Parsed<SlaDashboardRequest> {
  const parsed = slaDashboardQuery.parse(input);
  return parsed.ok
    ? { ok: true, value: parsed.value.province === undefined ? {} : { province: parsed.value.province } }
    : parsed;
}
