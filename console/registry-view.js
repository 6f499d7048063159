// The registry as the public sees it: a subject with its services, and tables of services.

import { api, query } from './api.js';
import { facts, h, notice, table } from './dom.js';
import { label, t } from './i18n.js';
import { provinceName } from './reference.js';

/** Looks services up in the registry (no sign-in): `keys` holds one key at least, and paging. */
export function lookUpServices(keys) {
  return api(`/v1/public/services${query(keys)}`, { auth: false });
}

/** The subject part of a service number (`粤ICP备2026000001号-2A` → `粤ICP备2026000001号`). */
export function subjectNumberOf(number) {
  return String(number ?? '').replace(/-\d+[A-Z]?$/, '');
}

export function isServiceNumber(number) {
  return /-\d+[A-Z]?$/.test(String(number ?? ''));
}

function categories(list) {
  return list?.length ? list.map((category) => label('category', category)).join('、') : t('registry.none');
}

/** A status label, with its date when cancelled or access withdrawn (`已注销（2026-12-04）`). */
export function statusText(item) {
  if (item.status === 'cancelled' && item.cancelledOn) {
    return t('registryStatus.cancelledOn', { date: item.cancelledOn });
  }
  if (item.status === 'access_withdrawn' && item.accessWithdrawnOn) {
    return t('registryStatus.accessWithdrawnOn', { date: item.accessWithdrawnOn });
  }
  return label('registryStatus', item.status);
}

/** A subject's public facts. */
export function subjectFacts(subject) {
  return h(
    'section',
    { class: 'registry-subject', 'aria-label': t('registry.subject') },
    facts([
      [t('registry.subjectNumber'), h('strong', { class: 'subject-number' }, subject.subjectNumber)],
      [t('registry.operator'), subject.operatorName],
      [t('registry.nature'), subject.operatorNature && label('nature', subject.operatorNature)],
      [t('registry.province'), provinceName(subject.province)],
      [t('registry.status'), statusText(subject)],
    ]),
  );
}

/** Services as a table; `onSubject(number)` makes each subject number a button that looks its subject up. */
export function servicesTable(caption, items, onSubject) {
  const headers = [
    'number',
    'name',
    'type',
    'subject',
    'operator',
    'nature',
    'categories',
    'approved',
    'status',
  ];
  return table(
    caption,
    headers.map((column) => t(`registry.col.${column}`)),
    items.map((item) =>
      h(
        'tr',
        { 'data-service-type': item.serviceType, class: item.status === 'active' ? undefined : 'inactive' },
        h('th', { scope: 'row', class: 'registration-number' }, item.serviceNumber),
        h('td', {}, item.serviceName),
        h('td', {}, label('serviceType', item.serviceType)),
        h(
          'td',
          {},
          onSubject
            ? h(
                'button',
                { type: 'button', class: 'link', onclick: () => onSubject(item.subjectNumber) },
                item.subjectNumber,
              )
            : item.subjectNumber,
        ),
        h('td', {}, item.operatorName),
        h('td', {}, item.operatorNature ? label('nature', item.operatorNature) : '—'),
        h('td', {}, categories(item.preApprovalCategories)),
        h('td', {}, item.approvedOn),
        h('td', { 'data-status': item.status }, statusText(item)),
      ),
    ),
    { class: 'public-results' },
  );
}

/** A subject with its active services (every page), as the bureau's filing detail shows it. */
export async function subjectSection(subjectNumber) {
  const section = (...children) =>
    h(
      'section',
      { 'aria-labelledby': 'registry-title', class: 'registry' },
      h('h3', { id: 'registry-title' }, t('registry.title')),
      ...children,
    );
  if (!subjectNumber) return section(notice('info', t('registry.newSubject')));
  let answer = await lookUpServices({ subjectNumber, limit: '200' });
  const items = [...answer.items];
  while (answer.nextCursor) {
    answer = await lookUpServices({ subjectNumber, limit: '200', cursor: answer.nextCursor });
    items.push(...answer.items);
  }
  if (!answer.subject && items.length === 0) {
    return section(notice('info', t('registry.unknownSubject', { number: subjectNumber })));
  }
  return section(
    answer.subject ? subjectFacts(answer.subject) : null,
    items.length
      ? servicesTable(t('registry.services', { n: items.length }), items)
      : notice('info', t('registry.noServices')),
  );
}
