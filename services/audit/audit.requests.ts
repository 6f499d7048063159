import { type FieldError, onlyFields, type Parsed } from '../http/request-fields';
import type { TimelineLabels } from './timeline-svg';

export const TIMELINE_LANGUAGES: readonly TimelineLabels[] = ['en', 'zh'];

export interface TimelineRequest {
  lang: TimelineLabels;
}

const asQuery = (input: unknown): Record<string, unknown> =>
  typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};

/** The report route takes no parameters: one it does not know is refused, not ignored. */
export function parseAuditReportQuery(input: unknown): Parsed<Record<string, never>> {
  const errors: FieldError[] = [];
  onlyFields(asQuery(input), [], errors, 'a parameter of this route');
  return errors.length ? { ok: false, errors } : { ok: true, value: {} };
}

/** `?lang=en|zh` (default en); nothing else. */
export function parseTimelineQuery(input: unknown): Parsed<TimelineRequest> {
  const query = asQuery(input);
  const errors: FieldError[] = [];
  onlyFields(query, ['lang'], errors, 'a parameter of this route');
  const lang = query.lang ?? 'en';
  if (typeof lang !== 'string' || !(TIMELINE_LANGUAGES as readonly string[]).includes(lang)) {
    errors.push({
      path: 'lang',
      rule: 'invalid_choice',
      message: `lang must be one of ${TIMELINE_LANGUAGES.join(', ')}, given once`,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { lang: lang as TimelineLabels } };
}
