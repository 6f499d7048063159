// The bureau's deadline sweep: services reported by ISPs, stores and device makers but not
// registered by their deadline, as of a date, per province and party, with a CSV export.

import { api } from './api.js';
import { errorNotice, focusHeading } from './common.js';
import { h, notice, show, table } from './dom.js';
import { t } from './i18n.js';
import { provinceName } from './reference.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today in China (UTC+8), `YYYY-MM-DD`. */
function chinaToday() {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function dateForm(asOf) {
  const input = h('input', { type: 'date', id: 'sweep-as-of', name: 'asOf', value: asOf, required: true });
  const form = h(
    'form',
    { class: 'sweep-form' },
    h('label', { for: 'sweep-as-of' }, t('sweep.asOf')),
    input,
    h('button', { type: 'submit' }, t('sweep.show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (DATE.test(input.value)) location.hash = `#/sweep/${input.value}`;
  });
  return form;
}

function itemRow(item) {
  return h(
    'tr',
    {},
    h('td', {}, provinceName(item.province)),
    h('td', {}, item.party),
    h('th', { scope: 'row' }, item.name ? `${item.name} (${item.value})` : item.value),
    h('td', {}, item.deadline),
    h('td', { class: 'overdue' }, String(item.daysPast)),
  );
}

async function downloadCsv(asOf) {
  const blob = await api(`/v1/compliance/sweeps/${asOf}/items?format=csv`, { as: 'blob' });
  const link = h('a', { href: URL.createObjectURL(blob), download: `sweep-${asOf}.csv` });
  link.click();
  URL.revokeObjectURL(link.href);
}

function sweepResult(asOf, summary, items) {
  const csv = h('button', { type: 'button' }, t('sweep.csv'));
  csv.addEventListener('click', () => void downloadCsv(asOf));
  return [
    h(
      'ul',
      { class: 'totals' },
      h('li', {}, h('span', {}, t('sweep.lines')), h('strong', {}, String(summary.counts.lines))),
      h('li', { class: 'overdue' }, h('span', {}, t('sweep.overdue')), h('strong', {}, String(items.length))),
    ),
    items.length === 0
      ? notice('ok', t('sweep.none'))
      : [
          csv,
          table(
            t('sweep.items', { asOf }),
            [
              t('sweep.province'),
              t('sweep.party'),
              t('sweep.service'),
              t('sweep.deadline'),
              t('sweep.daysPast'),
            ],
            items.map(itemRow),
            { class: 'sweep-items' },
          ),
        ],
  ];
}

/** `#/sweep` and `#/sweep/<asOf>`: the stored sweep of that date (a bureau: its province's items). */
export async function sweepView(main, params, ctx) {
  // The router passes an absent group as the text 'undefined': only a date is one.
  const asOf = DATE.test(params.asOf ?? '') ? params.asOf : chinaToday();
  const heading = () => [h('h2', {}, t('sweep.title')), dateForm(asOf)];
  show(main, heading(), h('p', { 'aria-live': 'polite' }, t('common.loading')));
  focusHeading(main);
  let summary;
  let items;
  try {
    summary = await api(`/v1/compliance/sweeps/${asOf}`);
    ({ items } = await api(`/v1/compliance/sweeps/${asOf}/items`));
  } catch (error) {
    if (!ctx.current()) return;
    show(
      main,
      heading(),
      error.status === 404 ? notice('info', t('sweep.notRun', { asOf })) : errorNotice(error),
    );
    return;
  }
  if (ctx.current()) show(main, heading(), sweepResult(asOf, summary, items));
}
