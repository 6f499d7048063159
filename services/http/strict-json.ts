import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FieldPath, formatPath } from '../../events/form/schema/field-path';
import type { FieldError } from './problem-details';

/** Deepest nesting of objects and arrays a request body may have; the registration form needs 4. */
export const MAX_JSON_DEPTH = 64;
const MAX_FINDINGS = 20;
// With the `u` flag a surrogate pair is one code point, so only unpaired halves match.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

type Frame =
  | { readonly kind: 'object'; readonly path: FieldPath; readonly keys: Set<string> }
  | { readonly kind: 'array'; readonly path: FieldPath; index: number };

/**
 * What `JSON.parse` accepts silently but a system of record must not: a member name given twice
 * (parsers disagree on which one counts), text with an unpaired UTF-16 surrogate (`"\ud800"`, which
 * has no UTF-8 form, so the event log refuses it and the filing would stall), and nesting deeper than
 * {@link MAX_JSON_DEPTH}. Returns nothing for text that is not JSON at all: the parser reports that.
 * Iterative, so a body of 100,000 `[` costs no stack.
 */
export function findUnacceptedJson(text: string): FieldError[] {
  const findings: FieldError[] = [];
  const stack: Frame[] = [];
  let i = skipWhitespace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  let path: FieldPath = [];

  // Reads `"name" :` at i for the object on top of the stack; returns the path of its value.
  const memberName = (frame: Frame & { kind: 'object' }): FieldPath | undefined => {
    const name = readString(text, i);
    if (name === undefined) return undefined;
    i = skipWhitespace(text, name.end);
    if (text[i] !== ':') return undefined;
    i = skipWhitespace(text, i + 1);
    const shown = UNPAIRED_SURROGATE.test(name.value) ? replaceUnpaired(name.value) : name.value;
    const at = [...frame.path, shown];
    if (shown !== name.value) findings.push(invalidUnicode(at, 'the member name'));
    if (frame.keys.has(name.value)) {
      findings.push({
        path: formatPath(at),
        rule: 'duplicate_key',
        message: 'is given more than once in the same object',
      });
    }
    frame.keys.add(name.value);
    return at;
  };

  for (;;) {
    if (findings.length >= MAX_FINDINGS) return findings;
    // A value starts at i.
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_JSON_DEPTH) {
        findings.push({
          path: formatPath(path),
          rule: 'too_deep',
          message: `nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
        });
        return findings;
      }
      i = skipWhitespace(text, i + 1);
      if (c === '{') {
        const frame = { kind: 'object' as const, path, keys: new Set<string>() };
        stack.push(frame);
        if (text[i] !== '}') {
          const at = memberName(frame);
          if (at === undefined) return [];
          path = at;
          continue;
        }
      } else {
        const frame = { kind: 'array' as const, path, index: 0 };
        stack.push(frame);
        if (text[i] !== ']') {
          path = [...path, 0];
          continue;
        }
      }
      i += 1;
      stack.pop();
    } else if (c === '"') {
      const value = readString(text, i);
      if (value === undefined) return [];
      if (UNPAIRED_SURROGATE.test(value.value)) findings.push(invalidUnicode(path, 'the text'));
      i = value.end;
    } else {
      const end = literalEnd(text, i);
      if (end === i) return [];
      i = end;
    }

    // After a value: the next member or item, or the end of one or more containers.
    for (;;) {
      i = skipWhitespace(text, i);
      const top = stack.at(-1);
      if (top === undefined) return i === text.length ? findings : [];
      if (text[i] === ',') {
        i = skipWhitespace(text, i + 1);
        if (top.kind === 'array') {
          top.index += 1;
          path = [...top.path, top.index];
        } else {
          const at = memberName(top);
          if (at === undefined) return [];
          path = at;
        }
        break;
      }
      if (text[i] !== (top.kind === 'array' ? ']' : '}')) return [];
      i += 1;
      stack.pop();
    }
  }
}

function invalidUnicode(path: FieldPath, what: string): FieldError {
  return {
    path: formatPath(path),
    rule: 'invalid_unicode',
    message: `${what} holds an unpaired UTF-16 surrogate (e.g. "\\ud800"), which is not Unicode text`,
  };
}

function replaceUnpaired(text: string): string {
  return text.replace(new RegExp(UNPAIRED_SURROGATE.source, 'gu'), '\uFFFD');
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (WHITESPACE.has(text.charCodeAt(i))) i += 1;
  return i;
}

/** The string token starting at `start` (a quote), decoded, and the index after it. */
function readString(text: string, start: number): { value: string; end: number } | undefined {
  if (text.charCodeAt(start) !== QUOTE) return undefined;
  for (let from = start + 1; ;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return undefined;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 1) {
      from = quote + 1;
      continue;
    }
    const token = text.slice(start, quote + 1);
    if (!token.includes('\\')) return { value: token.slice(1, -1), end: quote + 1 };
    try {
      return { value: JSON.parse(token) as string, end: quote + 1 };
    } catch {
      return undefined;
    }
  }
}

/** A number, `true`, `false` or `null` runs to the next delimiter; the parser checks its spelling. */
function literalEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (WHITESPACE.has(code) || code === 0x2c || code === 0x5d || code === 0x7d) break;
    if (code === QUOTE || code === 0x5b || code === 0x7b || code === 0x3a) return start;
    i += 1;
  }
  return i;
}

/** Thrown from body-parser's `verify` hook; body-parser keeps `status` and `type`, adds `expose`. */
export class UnacceptedJsonError extends Error {
  override readonly name = 'UnacceptedJsonError';
  readonly status = 400;
  readonly type = 'entity.verify.failed';

  constructor(readonly errors: readonly FieldError[]) {
    super('the request body is JSON this API does not accept');
  }
}

/**
 * body-parser's `verify` hook: runs on the raw bytes before they are decoded, so bytes that are not
 * UTF-8 are refused instead of silently becoming U+FFFD, then looks for what {@link findUnacceptedJson} refuses.
 */
export function verifyJsonBody(
  _request: IncomingMessage,
  _response: ServerResponse,
  body: Buffer,
  encoding: string,
): void {
  if (encoding.toLowerCase() !== 'utf-8' || !isUtf8(body)) {
    throw new UnacceptedJsonError([
      { path: '$', rule: 'invalid_utf8', message: 'the request body is not well-formed UTF-8' },
    ]);
  }
  const findings = findUnacceptedJson(body.toString('utf8'));
  if (findings.length > 0) throw new UnacceptedJsonError(findings);
}
