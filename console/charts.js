// Horizontal bar charts as inline SVG: open filings with the overdue ones over them, per row.

import { h } from './dom.js';
import { t } from './i18n.js';

const WIDTH = 640;
const LABEL = 170;
const BAR = 380;
const ROW = 30;

/** rows: `[{label, filings, overdue}]`. An SVG with a title, a legend and one labelled bar per row. */
export function barChart(title, rows) {
  const max = Math.max(1, ...rows.map((row) => row.filings));
  const height = 34 + rows.length * ROW;
  const scale = (n) => Math.round((n / max) * BAR);
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    h(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        viewBox: `0 0 ${WIDTH} ${height}`,
        width: WIDTH,
        height,
        role: 'img',
        'aria-label': `${title}: ${rows.map((row) => t('dashboard.chartLabel', row)).join('; ')}`,
      },
      h('rect', { x: LABEL, y: 6, width: 12, height: 12, class: 'bar-filings' }),
      h('text', { x: LABEL + 18, y: 16 }, t('dashboard.inStage')),
      h('rect', { x: LABEL + 110, y: 6, width: 12, height: 12, class: 'bar-overdue' }),
      h('text', { x: LABEL + 128, y: 16 }, t('dashboard.overdueLegend')),
      rows.map((row, i) => {
        const y = 30 + i * ROW;
        return h(
          'g',
          { class: 'chart-row' },
          h('title', {}, t('dashboard.chartLabel', row)),
          h('text', { x: LABEL - 8, y: y + 17, 'text-anchor': 'end' }, row.label),
          h('rect', { x: LABEL, y: y + 4, width: scale(row.filings), height: 18, class: 'bar-filings' }),
          h('rect', { x: LABEL, y: y + 4, width: scale(row.overdue), height: 18, class: 'bar-overdue' }),
          h(
            'text',
            { x: LABEL + scale(row.filings) + 6, y: y + 17, class: 'bar-value' },
            row.overdue ? `${row.filings} (${row.overdue})` : String(row.filings),
          ),
        );
      }),
    ),
  );
}
