import { queryOf } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';
import type { TimelineLabels } from './timeline-svg';

export const TIMELINE_LANGUAGES: readonly TimelineLabels[] = ['en', 'zh'];

export interface TimelineRequest {
  lang: TimelineLabels;
}

/** The report route takes no parameters: one it does not know is refused, not ignored. */
export const auditReportQuery = queryOf({});

export function parseAuditReportQuery(input: unknown): Parsed<Record<string, never>> {
  return auditReportQuery.parse(input) as Parsed<Record<string, never>>;
}

/** `?lang=en|zh` (default en); nothing else. */
export const timelineQuery = queryOf({
  lang: {
    ...choiceField(TIMELINE_LANGUAGES),
    schema: { type: 'string', enum: [...TIMELINE_LANGUAGES], default: 'en' },
  },
});

export function parseTimelineQuery(input: unknown): Parsed<TimelineRequest> {
  const parsed = timelineQuery.parse(input);
  return parsed.ok ? { ok: true, value: { lang: parsed.value.lang ?? 'en' } } : parsed;
}
