// The bureau operator's views: the province's review queue, a filing's detail and the decision.

import { api, ApiError, query } from './api.js';
import { errorNotice, focusHeading } from './common.js';
import { facts, h, notice, show, table } from './dom.js';
import { fieldPathLabel, formValue } from './form-view.js';
import { chinaTime, label, t } from './i18n.js';
import { provinceName, workingDaysLeft } from './reference.js';
import { subjectNumberOf, subjectSection } from './registry-view.js';

const PAGE = 50;

function timeLeft(item) {
  if (item.overdue) return h('span', { class: 'badge badge-overdue' }, t('queue.overdue'));
  const { days, provisional } = workingDaysLeft(item.dueBy);
  const text = days === 0 ? t('queue.lastDay') : t('queue.daysLeft', { n: days });
  return h(
    'span',
    { class: days <= 3 ? 'badge badge-soon' : 'badge' },
    text,
    provisional ? t('queue.provisional') : '',
  );
}

/** The filing's kind as a badge (a filing from before kinds is a new registration). */
export function kindBadge(kind = 'new_registration') {
  return h('span', { class: `badge badge-kind kind-${kind}`, 'data-kind': kind }, label('kind', kind));
}

/** The registration a change, cancellation or new access acts on: its service number, else its subject's. */
function targetNumber(item) {
  return (
    item.targetServiceNumber ??
    item.targetSubjectNumber ??
    item.target?.serviceNumber ??
    item.target?.subjectNumber
  );
}

function queueRow(item) {
  const target = targetNumber(item);
  return h(
    'tr',
    { class: item.overdue ? 'overdue' : undefined, 'data-filing-id': item.filingId, 'data-kind': item.kind },
    h('th', { scope: 'row' }, h('a', { href: `#/filing/${item.filingId}` }, item.appName)),
    h(
      'td',
      {},
      kindBadge(item.kind),
      target ? h('div', { class: 'target-number' }, h('small', {}, target)) : null,
    ),
    h('td', {}, label('serviceType', item.serviceType)),
    h('td', {}, item.platformId),
    h('td', {}, chinaTime(item.queuedAt)),
    h('td', {}, chinaTime(item.dueBy)),
    h('td', {}, timeLeft(item)),
    h(
      'td',
      {},
      h(
        'a',
        {
          href: `#/filing/${item.filingId}`,
          class: 'button-link',
          'aria-label': t('queue.openLabel', { app: item.appName }),
        },
        t('queue.open'),
      ),
    ),
  );
}

function shellRow(subject) {
  return h(
    'tr',
    { 'data-subject-number': subject.subjectNumber },
    h('th', { scope: 'row', class: 'subject-number' }, subject.subjectNumber),
    h('td', {}, subject.operatorName ?? '—'),
    h('td', {}, subject.operatorNature ? label('nature', subject.operatorNature) : '—'),
    h('td', {}, subject.flaggedOn),
    h('td', { class: 'registration-number' }, subject.lastServiceNumber),
  );
}

/** The province's shell subjects (left without services), every page, under the queue. */
async function shellSubjects(into, ctx) {
  const province = provinceName(ctx.session.province);
  const body = h('tbody');
  const status = h('div', { 'aria-live': 'polite' }, t('common.loading'));
  const more = h('div');
  show(
    into,
    h('h2', { id: 'shell-title' }, t('shell.title', { province })),
    h('p', { class: 'intro' }, t('shell.intro')),
    status,
    more,
  );
  const load = async (cursor) => {
    try {
      const page = await api(`/v1/bureau/shell-subjects${query({ limit: String(PAGE), cursor })}`);
      if (!ctx.current()) return;
      if (!cursor) {
        if (page.items.length === 0) return show(status, notice('info', t('shell.empty')));
        const headers = ['subject', 'operator', 'nature', 'flagged', 'last'].map((c) => t(`shell.col.${c}`));
        show(status, table(t('shell.title', { province }), headers, [], { class: 'shell-subjects' }));
        status.querySelector('tbody').replaceWith(body);
      }
      body.append(...page.items.map(shellRow));
      show(
        more,
        page.nextCursor
          ? h('button', { type: 'button', onclick: () => load(page.nextCursor) }, t('common.more'))
          : null,
      );
    } catch (error) {
      if (ctx.current()) show(status, errorNotice(error));
    }
  };
  await load(undefined);
}

const KINDS = ['new_registration', 'change', 'cancellation', 'new_access'];

/** The queue's kind filter: all kinds, or one. */
function kindFilter(onChange) {
  const select = h(
    'select',
    { id: 'queue-kind', name: 'kind', onchange: (event) => onChange(event.target.value) },
    h('option', { value: '' }, t('queue.filter.all')),
    KINDS.map((kind) => h('option', { value: kind }, label('kind', kind))),
  );
  return h('p', { class: 'filters' }, h('label', { for: 'queue-kind' }, t('queue.filter.kind')), ' ', select);
}

export async function queueView(main, _params, ctx) {
  let body = h('tbody');
  const status = h('div', { 'aria-live': 'polite' }, t('common.loading'));
  const more = h('div');
  const shells = h('section', { class: 'shell-subjects', 'aria-labelledby': 'shell-title' });
  let kind = '';
  // Each load is numbered: a page that arrives after the filter changed is dropped.
  let generation = 0;
  show(
    main,
    h('h2', {}, t('queue.title', { province: provinceName(ctx.session.province) })),
    h('p', { class: 'intro' }, t('queue.intro')),
    kindFilter((value) => {
      kind = value;
      body = h('tbody');
      show(more);
      show(status, t('common.loading'));
      void load(undefined);
    }),
    status,
    more,
    shells,
  );
  focusHeading(main);
  void shellSubjects(shells, ctx);
  const load = async (cursor) => {
    const mine = ++generation;
    try {
      const page = await api(`/v1/bureau/queue${query({ limit: String(PAGE), kind, cursor })}`);
      if (!ctx.current() || mine !== generation) return;
      if (!cursor) {
        if (page.items.length === 0)
          return show(status, notice('info', t(kind ? 'queue.emptyKind' : 'queue.empty')));
        const headers = ['app', 'kind', 'type', 'platform', 'queued', 'due', 'left', 'open'].map((c) =>
          t(`queue.col.${c}`),
        );
        show(
          status,
          table(t('queue.title', { province: provinceName(ctx.session.province) }), headers, [], {
            class: 'queue',
          }),
        );
        status.querySelector('tbody').replaceWith(body);
      }
      body.append(...page.items.map(queueRow));
      show(
        more,
        page.nextCursor
          ? h('button', { type: 'button', onclick: () => load(page.nextCursor) }, t('common.more'))
          : null,
      );
    } catch (error) {
      if (ctx.current() && mine === generation) show(status, errorNotice(error));
    }
  };
  await load(undefined);
}

/** The filing's kind and target come from its bureau detail (the event log), or from the view if it has them. */
function filingFacts(view, detail) {
  const kind = detail?.kind ?? view.kind;
  const target = detail?.target ?? view.target;
  return facts([
    [t('detail.filingId'), h('code', {}, view.filingId)],
    [t('detail.kind'), kind && kindBadge(kind)],
    [t('detail.target'), target && targetNumber({ target })],
    [t('detail.appName'), view.appName],
    [t('detail.serviceType'), view.serviceType && label('serviceType', view.serviceType)],
    [t('detail.status'), h('span', { 'data-status': view.status }, label('status', view.status))],
    [t('detail.stage'), label('stage', view.stage)],
    [t('detail.province'), view.province && provinceName(view.province)],
    [t('detail.platformId'), view.platformId],
    [t('detail.dueBy'), view.dueBy && chinaTime(view.dueBy)],
    [t('detail.overdue'), view.overdue ? t('common.yes') : t('common.no')],
    [t('detail.registrationNumber'), view.registrationNumber && h('strong', {}, view.registrationNumber)],
    [t('detail.returnedBy'), view.returnedBy && label('returnedBy', view.returnedBy)],
    [t('detail.reasons'), view.reasons],
    [t('detail.fieldReasons'), view.fieldReasons?.length ? fieldReasonList(view.fieldReasons) : undefined],
  ]);
}

/** Per-field reasons of a rejection or return: the field's path, the problem, the suggestion. */
function fieldReasonList(fieldReasons) {
  return h(
    'ul',
    { class: 'field-reasons' },
    fieldReasons.map((reason) =>
      h(
        'li',
        { 'data-path': reason.path },
        h('code', {}, reason.path),
        ' — ',
        reason.problem,
        reason.suggestion
          ? h('span', { class: 'suggestion' }, ` (${t('fieldReason.suggestion')}: ${reason.suggestion})`)
          : null,
      ),
    ),
  );
}

export async function filingView(main, { id }, ctx) {
  show(main, h('h2', {}, t('detail.title')), h('p', { 'aria-live': 'polite' }, t('common.loading')));
  focusHeading(main);
  let view;
  let detail;
  try {
    // The live state asks the workflow; the masked form and the timeline come from the event log.
    [view, detail] = await Promise.all([
      api(`/v1/filings/${encodeURIComponent(id)}`),
      api(`/v1/bureau/filings/${encodeURIComponent(id)}`).catch((error) => ({ error })),
    ]);
  } catch (error) {
    if (ctx.current()) show(main, h('h2', {}, t('detail.title')), errorNotice(error), backLink());
    return;
  }
  if (!ctx.current()) return;
  const known = detail.error ? undefined : detail;
  const factsBox = h('div', {}, filingFacts(view, known));
  // From the read model; after a decision, at least as new as its answer (`minRevision`), and after a
  // conflict the workflow's own state (`consistency=strong`): someone else's write is not ours to wait for.
  const refresh = async (read = {}) => {
    const latest = await api(`/v1/filings/${encodeURIComponent(id)}${query(read)}`);
    show(factsBox, filingFacts(latest, known));
    return latest;
  };
  const registryBox = h('div', { 'aria-live': 'polite' }, t('common.loading'));
  show(
    main,
    h(
      'h2',
      {},
      `${t('detail.title')} · ${view.appName ?? id}`,
      // A new registration needs no badge; the other kinds are named beside the app.
      known?.kind && known.kind !== 'new_registration' ? [' ', kindBadge(known.kind)] : null,
    ),
    factsBox,
    registryBox,
    detailSections(detail),
    view.status === 'bureau_review' ? decisionForm(id, refresh) : notice('info', t('decision.notInReview')),
    backLink(),
  );
  focusHeading(main);
  await showSubject(registryBox, view, detail, ctx);
}

/** The subject the filing is under, with its services: by its issued number, else the one it names. */
async function showSubject(box, view, detail, ctx) {
  const subjectNumber = view.registrationNumber
    ? subjectNumberOf(view.registrationNumber)
    : (detail.target?.subjectNumber ?? detail.form?.existingSubjectNumber);
  try {
    const section = await subjectSection(subjectNumber);
    if (ctx.current()) show(box, section);
  } catch (error) {
    if (ctx.current()) show(box, errorNotice(error));
  }
}

/** The masked form and the timeline, or why they could not be shown (the rest of the page still works). */
function detailSections(detail) {
  if (detail.error) {
    return h(
      'section',
      { 'aria-labelledby': 'form-title' },
      h('h3', { id: 'form-title' }, t('detail.form')),
      h('p', {}, t('detail.unavailable')),
      errorNotice(detail.error),
    );
  }
  return [
    differenceSection(detail),
    h(
      'section',
      { 'aria-labelledby': 'form-title', class: 'masked-form' },
      h('h3', { id: 'form-title' }, t('detail.form')),
      h('p', { class: 'intro' }, t('detail.masked')),
      formValue(detail.form),
    ),
    h(
      'section',
      { 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, t('detail.timeline')),
      timelineTable(detail.timeline),
    ),
  ];
}

/** Kinds whose form is the registered version with changes: the bureau sees the difference. */
const COMPARED_KINDS = ['change', 'new_access'];

/**
 * A change's (or new access's) difference against the registered version, field by field: the field,
 * the registered value and the proposed one, both masked by the server. Null for the other kinds.
 */
function differenceSection(detail) {
  if (!COMPARED_KINDS.includes(detail.kind)) return null;
  const heading = h('h3', { id: 'changes-title' }, t('diff.title'));
  const attributes = { 'aria-labelledby': 'changes-title', class: 'changes' };
  if (!Array.isArray(detail.changes)) {
    return h('section', attributes, heading, notice('info', t('diff.unavailable')));
  }
  if (detail.changes.length === 0) return h('section', attributes, heading, notice('info', t('diff.none')));
  const side = (value, key) => (value === undefined ? h('em', {}, t('diff.absent')) : formValue(value, key));
  const headers = ['field', 'registered', 'proposed', 'part'].map((c) => t(`diff.col.${c}`));
  return h(
    'section',
    attributes,
    heading,
    h('p', { class: 'intro' }, t('diff.intro')),
    table(
      t('diff.title'),
      headers,
      detail.changes.map((change) => {
        const key = change.path.split('.').at(-1);
        const alike =
          change.before !== undefined && JSON.stringify(change.before) === JSON.stringify(change.after);
        return h(
          'tr',
          { 'data-path': change.path, 'data-part': change.part },
          h('th', { scope: 'row' }, fieldPathLabel(change.path), h('div', {}, h('code', {}, change.path))),
          h('td', { class: 'registered' }, side(change.before, key)),
          h(
            'td',
            { class: 'proposed' },
            side(change.after, key),
            alike ? h('div', {}, h('small', {}, t('diff.maskedAlike'))) : null,
          ),
          h('td', {}, label('diff.part', change.part)),
        );
      }),
      { class: 'differences' },
    ),
  );
}

function timelineTable(timeline) {
  const headers = ['seq', 'time', 'event', 'actor', 'reasons'].map((c) =>
    c === 'reasons' ? t('detail.reasons') : t(`detail.col.${c}`),
  );
  return table(
    t('detail.timeline'),
    headers,
    timeline.map((entry) =>
      h(
        'tr',
        { 'data-seq': entry.seq, 'data-type': entry.type },
        h('th', { scope: 'row' }, String(entry.seq)),
        h('td', {}, chinaTime(entry.occurredAt)),
        h('td', {}, label('event', entry.type)),
        h('td', {}, entry.actorRole ? label('role', entry.actorRole) : '—'),
        h(
          'td',
          {},
          entry.reasons ?? '',
          entry.fieldReasons?.length ? fieldReasonList(entry.fieldReasons) : null,
        ),
      ),
    ),
    { class: 'timeline' },
  );
}

function backLink() {
  return h('p', {}, h('a', { href: '#/queue' }, t('common.back')));
}

/**
 * The decision form. One Idempotency-Key per decision: the same key only when the same decision is
 * sent again after a network failure, so a retry is recorded once and a changed decision is not
 * mistaken for it.
 */
function decisionForm(filingId, refresh) {
  let idempotencyKey = crypto.randomUUID();
  let lastSent;
  const outcome = h('div', { id: 'decision-outcome', 'aria-live': 'polite' });
  const reasons = h('textarea', { id: 'reasons', name: 'reasons', rows: 4, maxlength: 2000 });
  const fieldReasons = fieldReasonsEditor();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('decision.submit'));
  const radio = (value) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: 'decision', value, checked: value === 'approve' }),
      ' ',
      t(`decision.${value}`),
    );
  const form = h(
    'form',
    { class: 'decision', novalidate: true, 'aria-labelledby': 'decision-title' },
    h('h3', { id: 'decision-title' }, t('decision.title')),
    h(
      'fieldset',
      {},
      h('legend', {}, t('decision.choice')),
      radio('approve'),
      radio('reject'),
      radio('return'),
    ),
    h('label', { for: 'reasons' }, t('decision.reasons')),
    reasons,
    fieldReasons.element,
    h('div', { class: 'actions' }, submit),
    outcome,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const decision = new FormData(form).get('decision');
    const explanation = reasons.value.trim();
    reasons.removeAttribute('aria-invalid');
    if (decision === 'reject' && explanation === '') {
      reasons.setAttribute('aria-invalid', 'true');
      reasons.setAttribute('aria-describedby', 'decision-outcome');
      show(outcome, notice('error', t('decision.reasonsRequired')));
      reasons.focus();
      return;
    }
    const given = decision === 'approve' ? [] : fieldReasons.values();
    if (decision === 'return' && (explanation === '' || given.length === 0)) {
      reasons.setAttribute('aria-describedby', 'decision-outcome');
      if (explanation === '') reasons.setAttribute('aria-invalid', 'true');
      show(outcome, notice('error', t('decision.fieldReasonsRequired')));
      (explanation === '' ? reasons : fieldReasons.first()).focus();
      return;
    }
    submit.disabled = true;
    show(outcome, notice('info', t('decision.sending')));
    const body = {
      decision,
      ...(explanation ? { reasons: explanation } : {}),
      ...(given.length > 0 ? { fieldReasons: given } : {}),
    };
    if (lastSent !== undefined && lastSent !== JSON.stringify(body)) idempotencyKey = crypto.randomUUID();
    lastSent = JSON.stringify(body);
    try {
      const decided = await api(`/v1/filings/${encodeURIComponent(filingId)}/bureau-review`, {
        method: 'POST',
        headers: { 'idempotency-key': idempotencyKey },
        body,
      });
      for (const input of form.querySelectorAll('input, textarea, button')) input.disabled = true;
      const ownWrite = () => refresh({ minRevision: String(decided.revision) });
      if (decision === 'reject' || decision === 'return') {
        show(outcome, notice('ok', t(decision === 'reject' ? 'decision.rejected' : 'decision.returned')));
        await ownWrite();
      } else {
        await awaitNumber(outcome, ownWrite);
      }
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiError) {
        idempotencyKey = crypto.randomUUID();
        lastSent = undefined;
      }
      if (error instanceof ApiError && error.status === 409)
        await showConflict(filingId, outcome, error, refresh);
      else if (error instanceof ApiError && error.status === 400)
        show(outcome, h('p', {}, t('decision.refused')), errorNotice(error));
      else show(outcome, errorNotice(error));
    }
  });
  return form;
}

/**
 * Rows of per-field reasons: the field's path in the form (as `app.platforms.0.packageName`), the
 * problem, an optional suggestion. The server checks each path against the form's fields (400 naming
 * `fieldReasons.N.path`). `values()` gives the rows with a path or a problem.
 */
function fieldReasonsEditor() {
  const rows = h('ol', { class: 'field-reason-rows' });
  let count = 0;
  const addRow = () => {
    count += 1;
    const id = (what) => `field-reason-${count}-${what}`;
    const input = (what, attributes = {}) =>
      h('input', { id: id(what), name: `fieldReason.${what}`, type: 'text', maxlength: 500, ...attributes });
    const row = h(
      'li',
      { class: 'field-reason' },
      h('label', { for: id('path') }, t('fieldReason.path')),
      input('path', { placeholder: 'app.platforms.0.packageName', spellcheck: 'false' }),
      h('label', { for: id('problem') }, t('fieldReason.problem')),
      input('problem'),
      h('label', { for: id('suggestion') }, t('fieldReason.suggestion')),
      input('suggestion'),
    );
    const remove = h('button', { type: 'button' }, t('decision.removeFieldReason'));
    remove.addEventListener('click', () => row.remove());
    row.append(remove);
    rows.append(row);
  };
  const add = h('button', { type: 'button' }, t('decision.addFieldReason'));
  add.addEventListener('click', addRow);
  addRow();
  const element = h(
    'fieldset',
    { class: 'field-reasons-editor' },
    h('legend', {}, t('decision.fieldReasons')),
    rows,
    add,
  );
  const values = () =>
    [...rows.querySelectorAll('li')]
      .map((row) => {
        const value = (what) => row.querySelector(`[name="fieldReason.${what}"]`).value.trim();
        const suggestion = value('suggestion');
        return { path: value('path'), problem: value('problem'), ...(suggestion ? { suggestion } : {}) };
      })
      .filter((reason) => reason.path !== '' || reason.problem !== '');
  const first = () => rows.querySelector('input') ?? add;
  return { element, values, first };
}

/** After an approval: the number is issued by the workflow a moment later; poll the filing for it. */
async function awaitNumber(outcome, refresh) {
  const waiting = h('p', {}, t('decision.waitingNumber'));
  show(outcome, notice('ok', h('p', {}, t('decision.approved')), waiting));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const view = await refresh().catch(() => undefined);
    if (view?.registrationNumber) {
      show(
        waiting,
        t('decision.number', { number: '' }),
        h('strong', { id: 'registration-number' }, view.registrationNumber),
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  show(waiting, t('decision.numberLate'));
}

/** Events that end a bureau review or take the filing out of it: what "decided first" can mean. */
const DECISIONS = ['BureauReviewApproved', 'BureauReviewRejected', 'BureauReviewReturned', 'FilingWithdrawn'];

/**
 * 409: someone decided first. The problem names the status; the filing's timeline names the decision,
 * who recorded it (by role) and when.
 */
async function showConflict(filingId, outcome, error, refresh) {
  const [latest, detail] = await Promise.all([
    refresh({ consistency: 'strong' }).catch(() => undefined),
    api(`/v1/bureau/filings/${encodeURIComponent(filingId)}`).catch(() => undefined),
  ]);
  const status = latest?.status ?? error.problem.filingStatus ?? error.problem.stage ?? '?';
  const decided = detail?.timeline?.filter((entry) => DECISIONS.includes(entry.type)).at(-1);
  show(
    outcome,
    notice(
      'error',
      h(
        'p',
        { class: 'conflict' },
        decided
          ? t('decision.conflictBy', {
              who: label('role', decided.actorRole),
              what: label('event', decided.type),
              when: chinaTime(decided.occurredAt),
              status: label('status', status),
            })
          : t('decision.conflict', { status: label('status', status) }),
      ),
      error.problem.detail
        ? h('p', {}, t('decision.conflictDetail', { detail: error.problem.detail }))
        : null,
    ),
  );
}
