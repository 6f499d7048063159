import { FILING_STAGES, type FilingStage, type FilingStatus } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { isProvinceCode } from '../../events/provinces';
import { asRecord, onlyParameters, page, type PageQuery, queryText } from '../http/query-parameters';
import type { FieldError, Parsed } from '../http/request-fields';

export interface FilingListQuery extends PageQuery {
  status?: FilingStatus;
  stage?: FilingStage;
  province?: string;
}

export function parseFilingList(input: unknown): Parsed<FilingListQuery> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['status', 'stage', 'province', 'cursor', 'limit'], errors);
  const status = queryText(query, 'status', errors);
  if (status !== undefined && !(status in LEGAL_TRANSITIONS)) {
    errors.push({ path: 'status', rule: 'invalid_choice', message: 'status is not a filing status' });
  }
  const stage = queryText(query, 'stage', errors);
  if (stage !== undefined && !(FILING_STAGES as readonly string[]).includes(stage)) {
    errors.push({
      path: 'stage',
      rule: 'invalid_choice',
      message: `stage must be one of ${FILING_STAGES.join(', ')}`,
    });
  }
  const province = queryText(query, 'province', errors);
  if (province !== undefined && !isProvinceCode(province)) {
    errors.push({
      path: 'province',
      rule: 'unknown_province',
      message: 'province must be a GB/T 2260 province code',
    });
  }
  const paging = page(query, errors);
  return errors.length
    ? { ok: false, errors }
    : {
        ok: true,
        value: { ...paging, status: status as FilingStatus, stage: stage as FilingStage, province },
      };
}
