import { FILING_STAGES, type FilingStage, type FilingStatus } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { isProvinceCode } from '../../events/provinces';
import { type FieldError, onlyFields, type Parsed } from './filings.requests';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

export interface PageQuery {
  cursor?: string;
  limit: number;
}

function text(query: Record<string, unknown>, field: string, errors: FieldError[]): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 512) {
    errors.push({ path: field, rule: 'type', message: `${field} must be given once, as text` });
    return undefined;
  }
  return value;
}

function page(query: Record<string, unknown>, errors: FieldError[]): PageQuery {
  const raw = text(query, 'limit', errors);
  const limit = raw === undefined ? DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    errors.push({
      path: 'limit',
      rule: 'out_of_range',
      message: `limit must be a whole number from 1 to ${MAX_LIMIT}`,
    });
  }
  return { cursor: text(query, 'cursor', errors), limit };
}

const onlyParameters = (
  query: Record<string, unknown>,
  allowed: readonly string[],
  errors: FieldError[],
): void => onlyFields(query, allowed, errors, 'a parameter of this route');

export interface FilingListQuery extends PageQuery {
  status?: FilingStatus;
  stage?: FilingStage;
  province?: string;
}

function asRecord(query: unknown): Record<string, unknown> {
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
}

export function parseFilingList(input: unknown): Parsed<FilingListQuery> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['status', 'stage', 'province', 'cursor', 'limit'], errors);
  const status = text(query, 'status', errors);
  if (status !== undefined && !(status in LEGAL_TRANSITIONS)) {
    errors.push({ path: 'status', rule: 'invalid_choice', message: 'status is not a filing status' });
  }
  const stage = text(query, 'stage', errors);
  if (stage !== undefined && !(FILING_STAGES as readonly string[]).includes(stage)) {
    errors.push({
      path: 'stage',
      rule: 'invalid_choice',
      message: `stage must be one of ${FILING_STAGES.join(', ')}`,
    });
  }
  const province = text(query, 'province', errors);
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

export function parsePageOnly(input: unknown): Parsed<PageQuery> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['cursor', 'limit'], errors);
  const paging = page(query, errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: paging };
}

export function parsePublicLookup(
  input: unknown,
): Parsed<{ number?: string; appName?: string; operatorName?: string }> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['number', 'appName', 'operatorName'], errors);
  const lookup = {
    number: text(query, 'number', errors),
    appName: text(query, 'appName', errors),
    operatorName: text(query, 'operatorName', errors),
  };
  if (errors.length === 0 && !lookup.number && !lookup.appName && !lookup.operatorName) {
    errors.push({ path: '$', rule: 'required', message: 'give number, appName or operatorName' });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: lookup };
}
