// The public registration lookup: no sign-in, public fields only.

import { api, query } from './api.js';
import { errorNotice, focusHeading } from './common.js';
import { h, notice, show, table } from './dom.js';
import { chinaTime, label, t } from './i18n.js';
import { provinceName } from './reference.js';

const FIELDS = ['number', 'appName', 'operatorName'];

export function publicView(main, _params, ctx) {
  const inputs = Object.fromEntries(
    FIELDS.map((name) => [
      name,
      h('input', { id: `public-${name}`, name, type: 'search', maxlength: 200, autocomplete: 'off' }),
    ]),
  );
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    FIELDS.map((name) =>
      h('div', { class: 'field' }, h('label', { for: `public-${name}` }, t(`public.${name}`)), inputs[name]),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('public.submit'))),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.trim()]));
    if (!FIELDS.some((name) => values[name])) {
      show(results, notice('error', t('public.need')));
      inputs.number.focus();
      return;
    }
    show(results, t('common.loading'));
    try {
      const { items } = await api(`/v1/public/registrations${query(values)}`, { auth: false });
      if (!ctx.current()) return;
      if (items.length === 0) return show(results, notice('info', t('public.none')));
      const headers = ['number', 'app', 'type', 'operator', 'province', 'published'].map((c) =>
        t(`public.col.${c}`),
      );
      show(
        results,
        table(
          t('public.count', { n: items.length }),
          headers,
          items.map((item) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', class: 'registration-number' }, item.registrationNumber),
              h('td', {}, item.appName),
              h('td', {}, label('serviceType', item.serviceType)),
              h('td', {}, item.operatorName),
              h('td', {}, provinceName(item.province)),
              h('td', {}, chinaTime(item.publishedAt)),
            ),
          ),
          { class: 'public-results' },
        ),
      );
    } catch (error) {
      if (ctx.current()) show(results, errorNotice(error));
    }
  });
  show(main, h('h2', {}, t('public.title')), h('p', { class: 'intro' }, t('public.intro')), form, results);
  focusHeading(main);
}
