// Builds DOM nodes; text always goes in as text nodes, never as HTML.

/** `h('a', {href: '#/x', class: 'c'}, 'text', child)`: attributes, `on<Event>` handlers, children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElementNS(
    attributes.xmlns ?? (SVG_TAGS.has(tag) ? SVG : 'http://www.w3.org/1999/xhtml'),
    tag,
  );
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false || name === 'xmlns') continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'g', 'rect', 'text', 'line', 'title', 'desc']);

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything in `parent` with `children`. */
export function show(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** A message region that screen readers announce; `kind` is info, ok or error. */
export function notice(kind, ...children) {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    ...children,
  );
}

/** A table with a caption, column headers and rows of cells. */
export function table(caption, headers, rows, attributes = {}) {
  return h(
    'table',
    attributes,
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** A definition list of `[term, value]` pairs. */
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]),
  );
}
