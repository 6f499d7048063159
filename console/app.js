// The console's shell: sign-in, navigation by role, the language toggle and a hash router.

import { api, ApiError, forgetToken, readClaims, session, storeToken } from './api.js';
import { auditView, dashboardView, searchView } from './audit.js';
import { filingView, queueView } from './bureau.js';
import { campaignsView } from './campaigns.js';
import { errorNotice, focusHeading } from './common.js';
import { h, notice, show } from './dom.js';
import { label, language, setLanguage, t } from './i18n.js';
import { publicView } from './public.js';
import { sweepView } from './sweep.js';
import { provinceName, ready } from './reference.js';

const CONSOLE_ROLES = ['bureau', 'auditor'];

/** Routes: a pattern over the hash, the roles that may open it (none: anyone), the view. */
const ROUTES = [
  { pattern: /^#\/signin$/, view: signInView },
  { pattern: /^#\/public$/, view: publicView },
  { pattern: /^#\/queue$/, roles: ['bureau'], view: queueView },
  { pattern: /^#\/filing\/(?<id>[0-9a-fA-F-]{36})$/, roles: ['bureau'], view: filingView },
  { pattern: /^#\/audit$/, roles: ['auditor'], view: searchView },
  { pattern: /^#\/audit\/search\/(?<q>.+)$/, roles: ['auditor'], view: searchView },
  { pattern: /^#\/audit\/(?<id>[0-9a-fA-F-]{36})$/, roles: ['auditor'], view: auditView },
  { pattern: /^#\/dashboard$/, roles: ['bureau', 'auditor'], view: dashboardView },
  { pattern: /^#\/sweep(?:\/(?<asOf>\d{4}-\d{2}-\d{2}))?$/, roles: ['bureau', 'auditor'], view: sweepView },
  { pattern: /^#\/campaigns$/, roles: ['bureau', 'auditor'], view: campaignsView },
];

const NAV = [
  { href: '#/queue', key: 'nav.queue', roles: ['bureau'] },
  { href: '#/audit', key: 'nav.audit', roles: ['auditor'] },
  { href: '#/dashboard', key: 'nav.dashboard', roles: ['bureau', 'auditor'] },
  { href: '#/sweep', key: 'nav.sweep', roles: ['bureau', 'auditor'] },
  { href: '#/campaigns', key: 'nav.campaigns', roles: ['bureau', 'auditor'] },
  { href: '#/public', key: 'nav.public' },
];

function home(actor) {
  if (actor?.role === 'bureau') return '#/queue';
  if (actor?.role === 'auditor') return '#/audit';
  return '#/signin';
}

let generation = 0;

function renderShell(actor) {
  document.title = t('app.title');
  show(document.querySelector('#skip'), t('app.skip'));
  show(document.querySelector('#title'), h('a', { href: home(actor) }, t('app.title')));
  const nav = document.querySelector('#nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const current = location.hash.split('/').slice(0, 2).join('/');
  show(
    nav,
    h(
      'ul',
      {},
      NAV.filter((item) => !item.roles || item.roles.includes(actor?.role)).map((item) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: item.href, 'aria-current': item.href === current ? 'page' : undefined },
            t(item.key),
          ),
        ),
      ),
      actor
        ? null
        : h(
            'li',
            {},
            h(
              'a',
              { href: '#/signin', 'aria-current': current === '#/signin' ? 'page' : undefined },
              t('nav.signin'),
            ),
          ),
    ),
  );
  const lang = document.querySelector('#lang');
  show(lang, t('lang.other'));
  lang.setAttribute('aria-label', t('lang.switch'));
  lang.setAttribute('lang', language() === 'zh' ? 'en' : 'zh-CN');
  show(
    document.querySelector('#session'),
    actor
      ? [
          h(
            'span',
            { class: 'who' },
            t('session.who', {
              role: label('role', actor.role),
              scope: actor.province ? provinceName(actor.province) : (actor.sub ?? ''),
            }),
          ),
          ' ',
          h('button', { type: 'button', id: 'signout', onclick: signOut }, t('session.signout')),
        ]
      : null,
  );
}

function signOut() {
  forgetToken();
  if (location.hash === '#/signin') void route();
  else location.hash = '#/signin';
}

async function route() {
  const actor = session();
  const hash = location.hash;
  if (!hash) return location.replace(home(actor));
  if (!hash.startsWith('#/')) return;
  renderShell(actor);
  const main = document.querySelector('#main');
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(hash) })).find(({ m }) => m);
  if (!match || (match.r.roles && !match.r.roles.includes(actor?.role))) {
    location.replace(home(actor));
    return;
  }
  const mine = ++generation;
  const params = Object.fromEntries(
    Object.entries(match.m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
  );
  try {
    await match.r.view(main, params, { session: actor, current: () => mine === generation });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) forgetToken();
    show(main, errorNotice(error));
  }
}

function signInView(main, _params, ctx) {
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 3,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const message = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'signin', novalidate: true },
    h('label', { for: 'token' }, t('signin.token')),
    input,
    h('p', { class: 'hint' }, ...hint()),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('signin.submit'))),
    message,
  );
  // A token is one line: Enter signs in (Shift+Enter is not needed in a token).
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    const claims = readClaims(token);
    if (!claims) return show(message, notice('error', t('signin.malformed')));
    if (!CONSOLE_ROLES.includes(claims.role))
      return show(message, notice('error', t('signin.otherRole', { role: claims.role })));
    try {
      await api(claims.role === 'bureau' ? '/v1/bureau/queue?limit=1' : '/v1/dashboard/sla', { token });
    } catch (error) {
      return show(
        message,
        error instanceof ApiError && error.status === 401
          ? notice('error', t('signin.refused', { detail: error.problem.detail ?? '' }))
          : errorNotice(error),
      );
    }
    if (!ctx.current()) return;
    storeToken(token);
    input.value = '';
    location.hash = home(claims);
  });
  show(
    main,
    h('h2', {}, t('signin.title')),
    h('p', { class: 'intro' }, t('signin.intro')),
    form,
    h('p', {}, h('a', { href: '#/public' }, t('signin.publicLink'))),
  );
  focusHeading(main);
}

function hint() {
  const [before, after] = t('signin.hint').split('{command}');
  return [
    before,
    h('code', {}, 'npx icp token --role bureau --province 440000'),
    ' / ',
    h('code', {}, 'npx icp token --role auditor'),
    after,
  ];
}

async function start() {
  setLanguage(language());
  await ready();
  document.querySelector('#lang').addEventListener('click', () => {
    setLanguage(language() === 'zh' ? 'en' : 'zh');
    void route().then(() => document.querySelector('#lang').focus());
  });
  document.querySelector('#skip').addEventListener('click', (event) => {
    event.preventDefault();
    document.querySelector('#main').focus();
  });
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
