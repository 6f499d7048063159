// Shared bits of the views: error notices and small formatters.

import { ApiError } from './api.js';
import { h, notice } from './dom.js';
import { t } from './i18n.js';

/** A notice for a failed call: the problem's detail and every field error it lists. */
export function errorNotice(error) {
  if (!(error instanceof ApiError)) return notice('error', t('error.network'));
  const { status, problem } = error;
  const summary =
    status === 401
      ? t('error.unauthorized')
      : status === 403
        ? t('error.forbidden')
        : status === 404
          ? t('error.notFound')
          : t('error.http', { status, detail: problem.detail ?? problem.title ?? '' });
  const fields = Array.isArray(problem.errors) ? problem.errors : [];
  return notice(
    'error',
    h('p', {}, summary),
    fields.length
      ? h(
          'ul',
          {},
          fields.map((field) => h('li', {}, t('error.field', { path: field.path, message: field.message }))),
        )
      : null,
  );
}

/** Moves focus to a view's heading so keyboard and screen-reader users land on the new content. */
export function focusHeading(root) {
  const heading = root.querySelector('h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}
