// The public registration lookup: no sign-in, public fields only, from the registry.

import { errorNotice, focusHeading } from './common.js';
import { h, notice, show } from './dom.js';
import { label, t } from './i18n.js';
import { isServiceNumber, lookUpServices, servicesTable, subjectFacts } from './registry-view.js';

/** The identifier kinds a service can be looked up by, as the API names them. */
const IDENTIFIERS = ['packageName', 'bundleId', 'miniProgramId', 'quickAppPackage', 'domain'];
/** The statuses a lookup may be narrowed to ('' : any; a subject number alone: its active services). */
const STATUSES = ['', 'active', 'access_withdrawn', 'cancelled'];
const PAGE = '50';

export function publicView(main, _params, ctx) {
  const input = (name) =>
    h('input', { id: `public-${name}`, name, type: 'search', maxlength: 200, autocomplete: 'off' });
  const number = input('number');
  const name = input('name');
  const identifier = input('identifier');
  const kind = h(
    'select',
    { id: 'public-kind', name: 'kind' },
    IDENTIFIERS.map((key) => h('option', { value: key }, t(`public.kind.${key}`))),
  );
  const status = h(
    'select',
    { id: 'public-status', name: 'status' },
    STATUSES.map((value) =>
      h('option', { value }, value ? label('registryStatus', value) : t('public.status.any')),
    ),
  );
  const field = (id, text, control) => h('div', { class: 'field' }, h('label', { for: id }, text), control);
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    field('public-number', t('public.number'), number),
    field('public-name', t('public.name'), name),
    field('public-kind', t('public.kind'), kind),
    field('public-identifier', t('public.identifier'), identifier),
    field('public-status', t('public.status'), status),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('public.submit'))),
  );

  /** Shows one page of an answer; a further page is added under it on request. */
  const showAnswer = (keys, answer, into) => {
    const rows = answer.items.length
      ? servicesTable(
          t('public.count', { n: answer.items.length }),
          answer.items,
          (subjectNumber) => void search({ subjectNumber }),
        )
      : notice('info', t('public.none'));
    const more = answer.nextCursor
      ? h(
          'button',
          { type: 'button', onclick: () => void page(keys, answer.nextCursor, into) },
          t('public.more'),
        )
      : null;
    into.append(h('div', {}, answer.subject ? subjectFacts(answer.subject) : null, rows, more));
  };

  const page = async (keys, cursor, into) => {
    try {
      const answer = await lookUpServices({ ...keys, limit: PAGE, cursor });
      if (ctx.current()) showAnswer(keys, answer, into);
    } catch (error) {
      if (ctx.current()) into.append(errorNotice(error));
    }
  };

  const search = async (keys) => {
    show(results, t('common.loading'));
    const into = h('div', {});
    await page(keys, undefined, into);
    if (ctx.current()) show(results, into);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const keys = {};
    const numberText = number.value.trim();
    if (numberText) keys[isServiceNumber(numberText) ? 'serviceNumber' : 'subjectNumber'] = numberText;
    if (name.value.trim()) keys.name = name.value.trim();
    if (identifier.value.trim()) keys[kind.value] = identifier.value.trim();
    if (Object.keys(keys).length === 0) {
      show(results, notice('error', t('public.need')));
      number.focus();
      return;
    }
    if (status.value) keys.status = status.value;
    void search(keys);
  });
  show(main, h('h2', {}, t('public.title')), h('p', { class: 'intro' }, t('public.intro')), form, results);
  focusHeading(main);
}
