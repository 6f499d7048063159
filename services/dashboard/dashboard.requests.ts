import { isProvinceCode } from '../../events/provinces';
import { type FieldError, onlyFields, type Parsed } from '../http/request-fields';

export interface SlaDashboardRequest {
  province?: string;
}

/** `?province=` (optional GB/T 2260 province code); nothing else. */
export function parseSlaDashboardQuery(input: unknown): Parsed<SlaDashboardRequest> {
  const query = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  onlyFields(query, ['province'], errors, 'a parameter of this route');
  const province = query.province;
  if (province !== undefined && (typeof province !== 'string' || !isProvinceCode(province))) {
    errors.push({
      path: 'province',
      rule: 'unknown_province',
      message: 'province must be a GB/T 2260 province code, given once',
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: province === undefined ? {} : { province: province as string } };
}
