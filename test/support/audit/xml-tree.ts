/**
 * A strict little XML reader for tests (the project has no XML parser and adds none): the prolog,
 * comments, elements, attributes and text, with the five predefined entities and character
 * references. Throws at the first thing that is not well-formed XML 1.0, so a test that parses an
 * SVG with it proves the document well-formed, and can then inspect the element tree.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities resolved), children's text excluded. */
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function resolve(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`'<' in text or attribute value near ${at}`);
  return raw.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated reference near ${at}: ${whole}`);
    const entity = ENTITIES[body];
    if (entity !== undefined) return entity;
    const code = /^#x([0-9a-fA-F]+)$/.exec(body)?.[1] ?? /^#([0-9]+)$/.exec(body)?.[1];
    if (code === undefined) throw new Error(`unknown entity near ${at}: ${whole}`);
    return String.fromCodePoint(body.startsWith('#x') ? parseInt(code, 16) : Number(code));
  });
}

export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${at}: ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const skipSpace = () => {
    while (at < source.length && /\s/.test(source[at] ?? '')) at += 1;
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };

  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    at = end + 2;
  }
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (!source.startsWith('<!--', at)) return;
      const end = source.indexOf('-->', at + 4);
      if (end < 0) fail('unterminated comment');
      at = end + 3;
    }
  };

  const element = (): XmlElement => {
    if (source[at] !== '<') fail("expected '<'");
    at += 1;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = at;
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (source[at] === '>') {
        at += 1;
        break;
      }
      if (before === at) fail('expected whitespace before an attribute');
      const key = name();
      if (key in node.attributes) fail(`duplicate attribute ${key}`);
      skipSpace();
      if (source[at] !== '=') fail(`expected '=' after ${key}`);
      at += 1;
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
      const end = source.indexOf(quote, at + 1);
      if (end < 0) fail('unterminated attribute value');
      node.attributes[key] = resolve(source.slice(at + 1, end), at);
      at = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next < 0) fail(`unclosed <${node.name}>`);
      node.text += resolve(source.slice(at, next), at);
      at = next;
      if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at + 4);
        if (end < 0) fail('unterminated comment');
        at = end + 3;
      } else if (source.startsWith('</', at)) {
        at += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        if (source[at] !== '>') fail("expected '>'");
        at += 1;
        return node;
      } else {
        node.children.push(element());
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (at !== source.length) fail('content after the root element');
  return root;
}

/** Every element of the tree (root first, document order). */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}

/** All text under an element, in document order. */
export function textOf(node: XmlElement): string {
  return node.text + node.children.map(textOf).join('');
}
