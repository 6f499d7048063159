// The auditor's views: find a filing, its verified timeline, SLA picture and masked form; the dashboard.

import { api, query } from './api.js';
import { barChart } from './charts.js';
import { errorNotice, focusHeading } from './common.js';
import { facts, h, notice, show, table } from './dom.js';
import { formValue } from './form-view.js';
import { chinaTime, label, language, t } from './i18n.js';
import { maskForm } from './mask.js';
import { provinceName } from './reference.js';

export async function searchView(main, { q = '' }, ctx) {
  const input = h('input', {
    id: 'audit-q',
    name: 'q',
    type: 'search',
    required: true,
    maxlength: 200,
    value: q,
    autocomplete: 'off',
  });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    h('label', { for: 'audit-q' }, t('audit.search.label')),
    h(
      'div',
      { class: 'inline' },
      input,
      h('button', { type: 'submit', class: 'primary' }, t('audit.search.submit')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) location.hash = `#/audit/search/${encodeURIComponent(text)}`;
    else input.focus();
  });
  show(main, h('h2', {}, t('audit.search.title')), form, results);
  if (!q) {
    focusHeading(main);
    return;
  }
  show(results, t('common.loading'));
  try {
    const { items } = await api(`/v1/audit/search${query({ q })}`);
    if (!ctx.current()) return;
    if (items.length === 0) return show(results, notice('info', t('audit.search.none')));
    const headers = ['app', 'number', 'status', 'province', 'submitted', 'open'].map((c) =>
      t(`audit.col.${c}`),
    );
    show(
      results,
      table(
        t('audit.search.count', { n: items.length }),
        headers,
        items.map((item) =>
          h(
            'tr',
            { 'data-filing-id': item.filingId },
            h('th', { scope: 'row' }, item.appName),
            h('td', {}, item.registrationNumber ?? '—'),
            h('td', {}, label('status', item.status)),
            h('td', {}, provinceName(item.province)),
            h('td', {}, chinaTime(item.submittedAt)),
            h(
              'td',
              {},
              h(
                'a',
                {
                  href: `#/audit/${item.filingId}`,
                  class: 'button-link',
                  'aria-label': t('audit.openLabel', { app: item.appName }),
                },
                t('audit.col.open'),
              ),
            ),
          ),
        ),
      ),
    );
    results.querySelector('a')?.focus();
  } catch (error) {
    if (ctx.current()) show(results, errorNotice(error));
  }
}

function actorText(actor) {
  const scope = actor.province ? provinceName(actor.province) : actor.platformId;
  return `${label('role', actor.role)} · ${actor.id}${scope ? ` · ${scope}` : ''}`;
}

function timelineTable(report) {
  const rulesAt = new Map();
  for (const finding of report.findings)
    rulesAt.set(finding.seq, [...(rulesAt.get(finding.seq) ?? []), finding]);
  const headers = ['seq', 'time', 'event', 'actor', 'after', 'chain', 'rules'].map((c) =>
    t(`audit.col.${c}`),
  );
  return table(
    t('audit.timeline'),
    headers,
    report.timeline.map((entry) => {
      const found = rulesAt.get(entry.seq) ?? [];
      const flagged = found.length > 0 || !entry.chainIntact;
      return h(
        'tr',
        {
          class: flagged ? 'flagged' : undefined,
          'data-seq': entry.seq,
          'data-chain': entry.chainIntact ? 'intact' : 'broken',
        },
        h('th', { scope: 'row' }, String(entry.seq)),
        h('td', {}, chinaTime(entry.occurredAt)),
        h('td', {}, entry.type),
        h('td', {}, actorText(entry.actor)),
        h('td', {}, label('status', entry.status), entry.applied ? '' : t('audit.notApplied')),
        h(
          'td',
          { class: entry.chainIntact ? 'chain-ok' : 'chain-broken' },
          t(entry.chainIntact ? 'audit.chain.ok' : 'audit.chain.broken'),
        ),
        h(
          'td',
          {},
          found.length
            ? h(
                'ul',
                { class: 'rules' },
                found.map((f) => h('li', {}, h('code', {}, f.rule), ' ', f.message)),
              )
            : '',
        ),
      );
    }),
    { class: 'timeline' },
  );
}

function stagesTable(report) {
  const headers = ['stage', 'entered', 'left', 'dueAt', 'workingDays', 'overdue'].map((c) =>
    t(`audit.col.${c}`),
  );
  return table(
    t('audit.sla'),
    headers,
    report.stages.map((span) =>
      h(
        'tr',
        { class: span.overdue ? 'overdue' : undefined },
        h('th', { scope: 'row' }, label('stage', span.stage)),
        h('td', {}, chinaTime(span.enteredAt)),
        h('td', {}, span.leftAt ? chinaTime(span.leftAt) : t('audit.stillIn')),
        h('td', {}, span.dueAt ? chinaTime(span.dueAt) : '—'),
        h('td', {}, String(span.workingDays)),
        h(
          'td',
          {},
          span.overdue ? h('span', { class: 'badge badge-overdue' }, t('common.yes')) : t('common.no'),
        ),
      ),
    ),
  );
}

/** The SLA picture the API draws; fetched with the token, shown through a blob: URL (no script runs in an <img>). */
async function timelinePicture(id, holder) {
  try {
    const blob = await api(`/v1/audit/filings/${encodeURIComponent(id)}/timeline.svg?lang=${language()}`, {
      as: 'blob',
    });
    const url = URL.createObjectURL(blob);
    const img = h('img', { src: url, alt: t('audit.svgAlt'), class: 'timeline-svg' });
    img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    show(holder, img);
  } catch {
    show(holder, notice('error', t('audit.svgFailed')));
  }
}

/** The form as last submitted or corrected, masked before it reaches the page. */
function latestForm(events) {
  const withForm = events.filter(
    (e) => (e.type === 'FilingSubmitted' || e.type === 'FilingCorrected') && e.data?.form,
  );
  return withForm.at(-1)?.data.form;
}

export async function auditView(main, { id }, ctx) {
  show(
    main,
    h('h2', {}, t('audit.title', { app: id })),
    h('p', { 'aria-live': 'polite' }, t('common.loading')),
  );
  focusHeading(main);
  let report;
  let events = [];
  try {
    [report, events] = await Promise.all([
      api(`/v1/audit/filings/${encodeURIComponent(id)}`),
      api(`/v1/filings/${encodeURIComponent(id)}/events`).then(
        (body) => body.events,
        () => [],
      ),
    ]);
  } catch (error) {
    if (ctx.current()) show(main, h('h2', {}, t('audit.search.title')), errorNotice(error), backLink());
    return;
  }
  if (!ctx.current()) return;
  const appName = events.find((e) => e.type === 'FilingSubmitted')?.data?.appName ?? id;
  const form = latestForm(events);
  const picture = h('div', { class: 'picture' }, t('common.loading'));
  const verified = report.verdict === 'verified';
  show(
    main,
    h('h2', {}, t('audit.title', { app: appName })),
    facts([
      [t('detail.filingId'), h('code', {}, report.filingId)],
      [t('detail.status'), report.status ? label('status', report.status) : '—'],
      [t('detail.province'), report.province ? provinceName(report.province) : '—'],
      [t('detail.platformId'), report.platformId],
    ]),
    notice(
      verified ? 'ok' : 'error',
      h(
        'p',
        { class: 'verdict', 'data-verdict': report.verdict },
        verified ? t('audit.verdict.verified') : t('audit.verdict.findings', { n: report.findings.length }),
      ),
      h(
        'p',
        {},
        report.temporal.checked
          ? t('audit.temporal.checked', {
              status: report.temporal.workflowStatus ?? report.temporal.workflowExecution ?? '?',
            })
          : t('audit.temporal.unchecked', { reason: report.temporal.reason ?? '?' }),
      ),
    ),
    report.findings.length
      ? h(
          'section',
          { 'aria-labelledby': 'findings-title' },
          h('h3', { id: 'findings-title' }, t('audit.findings')),
          h(
            'ul',
            { class: 'findings' },
            report.findings.map((f) =>
              h('li', {}, `seq ${f.seq} · `, h('code', {}, f.rule), ` · ${f.message}`),
            ),
          ),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, t('audit.timeline')),
      timelineTable(report),
    ),
    h(
      'section',
      { 'aria-labelledby': 'sla-title' },
      h('h3', { id: 'sla-title' }, t('audit.sla')),
      stagesTable(report),
      picture,
    ),
    h(
      'section',
      { 'aria-labelledby': 'form-title' },
      h('h3', { id: 'form-title' }, t('audit.form')),
      form ? formValue(maskForm(form)) : h('p', {}, t('audit.formNone')),
    ),
    backLink(),
  );
  focusHeading(main);
  await timelinePicture(id, picture);
}

function backLink() {
  return h('p', {}, h('a', { href: '#/audit' }, t('common.back')));
}

export async function dashboardView(main, _params, ctx) {
  show(main, h('h2', {}, t('dashboard.title')), h('p', { 'aria-live': 'polite' }, t('common.loading')));
  focusHeading(main);
  let sla;
  try {
    sla = await api('/v1/dashboard/sla');
  } catch (error) {
    if (ctx.current()) show(main, h('h2', {}, t('dashboard.title')), errorNotice(error));
    return;
  }
  if (!ctx.current()) return;
  const provinces = new Map();
  for (const row of sla.byProvince) {
    if (row.stage === 'closed') continue;
    const sum = provinces.get(row.province) ?? { label: provinceName(row.province), filings: 0, overdue: 0 };
    sum.filings += row.filings;
    sum.overdue += row.overdue;
    provinces.set(row.province, sum);
  }
  const open = sla.stages.filter((figures) => figures.stage !== 'closed');
  show(
    main,
    h('h2', {}, t('dashboard.title')),
    h(
      'p',
      {},
      t('dashboard.scope', { scope: sla.province ? provinceName(sla.province) : t('common.allProvinces') }),
    ),
    h(
      'ul',
      { class: 'totals' },
      h('li', {}, h('span', {}, t('dashboard.filings')), h('strong', {}, String(sla.filings))),
      h('li', {}, h('span', {}, t('dashboard.open')), h('strong', {}, String(sla.open))),
      h(
        'li',
        { class: sla.overdue ? 'overdue' : undefined },
        h('span', {}, t('dashboard.overdue')),
        h('strong', {}, String(sla.overdue)),
      ),
    ),
    sla.filings === 0
      ? notice('info', t('dashboard.empty'))
      : [
          barChart(
            t('dashboard.byStage'),
            open.map((figures) => ({
              label: label('stage', figures.stage),
              filings: figures.filings,
              overdue: figures.overdue,
            })),
          ),
          h(
            'ul',
            { class: 'medians' },
            sla.stages
              .filter((figures) => figures.stage !== 'closed')
              .map((figures) =>
                h(
                  'li',
                  {},
                  `${label('stage', figures.stage)}: `,
                  figures.medianWorkingDays === null
                    ? t('dashboard.noMedian')
                    : t('dashboard.median', { days: figures.medianWorkingDays }),
                ),
              ),
          ),
          provinces.size ? barChart(t('dashboard.byProvince'), [...provinces.values()]) : null,
          kindTable(sla.byKind),
        ],
  );
  focusHeading(main);
}

/** Filings, open and overdue ones, and the median review times, per filing kind. */
function kindTable(byKind) {
  if (!Array.isArray(byKind) || byKind.length === 0) return null;
  const medianOf = (figures, stage) => {
    const days = figures.stages.find((row) => row.stage === stage)?.medianWorkingDays;
    return days === null || days === undefined ? '—' : String(days);
  };
  const headers = ['kind', 'filings', 'open', 'overdue', 'medianPlatform', 'medianBureau'].map((c) =>
    t(`dashboard.col.${c}`),
  );
  return table(
    t('dashboard.byKind'),
    headers,
    byKind.map((figures) =>
      h(
        'tr',
        { 'data-kind': figures.kind, class: figures.overdue ? 'overdue' : undefined },
        h('th', { scope: 'row' }, label('kind', figures.kind)),
        h('td', {}, String(figures.filings)),
        h('td', {}, String(figures.open)),
        h('td', {}, String(figures.overdue)),
        h('td', {}, medianOf(figures, 'platform_review')),
        h('td', {}, medianOf(figures, 'bureau_review')),
      ),
    ),
    { class: 'by-kind' },
  );
}
