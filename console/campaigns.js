// Accuracy campaigns (准确性核验): the bureau's (or, for an auditor, every) campaign with its progress.

import { api, query } from './api.js';
import { focusHeading } from './common.js';
import { h, show } from './dom.js';
import { t } from './i18n.js';

const COLUMNS = [
  'total',
  'awaiting',
  'confirmed',
  'change_filed',
  'escalated',
  'decided',
  'access_withdrawn',
];

export async function campaignsView(main, _params, ctx) {
  const { campaigns } = await api(`/v1/compliance/campaigns${query({})}`);
  if (!ctx.current()) return;
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, t('campaigns.name')),
    h('th', { scope: 'col' }, t('campaigns.status')),
    h('th', { scope: 'col' }, t('campaigns.dueOn')),
    COLUMNS.map((column) => h('th', { scope: 'col' }, t(`campaigns.${column}`))),
  );
  const rows = campaigns.map((campaign) =>
    h(
      'tr',
      { 'data-campaign': campaign.campaignId },
      h('th', { scope: 'row' }, campaign.name),
      h('td', {}, t(`campaigns.${campaign.status}`)),
      h('td', {}, campaign.dueOn),
      COLUMNS.map((column) => h('td', { class: 'number' }, String(campaign.progress[column]))),
    ),
  );
  show(
    main,
    h('h2', {}, t('campaigns.title')),
    campaigns.length === 0
      ? h('p', {}, t('campaigns.none'))
      : h('table', { class: 'campaigns' }, h('thead', {}, head), h('tbody', {}, rows)),
  );
  focusHeading(main);
}
