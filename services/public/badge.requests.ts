import type { PipeTransform } from '@nestjs/common';
import { queryOf } from '../http/query-parameters';
import { ValidationProblem } from '../http/problem-details';
import { SERVICE_NUMBER_EXAMPLE, serviceNumberOf } from '../http/registration-number-params';
import { choiceField, type Parsed } from '../http/request-fields';
import { BADGE_LANGUAGES, type BadgeLanguage } from './badge-svg';

/** `?lang=zh|en` (default zh); nothing else. */
export const badgeQuery = queryOf({
  lang: {
    ...choiceField(BADGE_LANGUAGES),
    schema: { type: 'string', enum: [...BADGE_LANGUAGES], default: 'zh' },
  },
});

export function parseBadgeQuery(input: unknown): Parsed<{ lang: BadgeLanguage }> {
  const parsed = badgeQuery.parse(input);
  return parsed.ok ? { ok: true, value: { lang: parsed.value.lang ?? 'zh' } } : parsed;
}

/** `:number`: a service number, or 400 naming the parameter. */
export const badgeNumberPipe: PipeTransform<unknown, Promise<string>> = {
  async transform(value) {
    const serviceNumber = typeof value === 'string' ? serviceNumberOf(value) : undefined;
    if (serviceNumber) return serviceNumber;
    throw new ValidationProblem([
      {
        path: 'number',
        rule: 'service_number',
        message: `number must be a service number such as ${SERVICE_NUMBER_EXAMPLE}`,
      },
    ]);
  },
};
