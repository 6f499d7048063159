import { isUtf8 } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type FieldPath, formatPath } from '../../events/form/schema/field-path';
import type { FieldError } from '../../services/http/problem-details';
import { findUnacceptedJson } from '../../services/http/strict-json';

/**
 * Hostile request bodies for fuzzing the JSON routes, and what the API must answer to each. Every
 * generated body is wrong on purpose (a valid one is filtered out), so the answer is always a 4xx.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Returns the errors a route's validation reports for a parsed body; none means it would be accepted. */
export type RouteValidation = (body: unknown) => readonly FieldError[];

export const BODY_LIMIT_BYTES = 256 * 1024;
/** The routes configured with a limit of their own (main/api/create-app.ts `bodyLimitsByPath`). */
const BODY_LIMIT_BYTES_BY_PATH: Readonly<Record<string, number>> = {
  '/v1/verify/batch': 4 * 1024 * 1024,
  '/v1/compliance/inventories': 32 * 1024 * 1024,
};

/** The largest body the API takes at `path`. */
export function bodyLimitBytesOf(path: string): number {
  return BODY_LIMIT_BYTES_BY_PATH[path] ?? BODY_LIMIT_BYTES;
}
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

export interface HostileBody {
  /** The kind of hostility, for the summary. */
  readonly kind: string;
  /** Raw bytes sent, or undefined for no body. */
  readonly bytes: Buffer | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The answer, when the HTTP layer decides it whatever the route (content encodings). */
  readonly expected?: ExpectedAnswer;
}

/** What the API answers: the status and, for a 400, every error as `path:rule`. */
export interface ExpectedAnswer {
  readonly status: number;
  readonly errors?: readonly string[];
}

const asText = (errors: readonly FieldError[]): string[] => errors.map((e) => `${e.path}:${e.rule}`);

/** An object member set as an own property, even for `__proto__`, as `JSON.parse` would make it. */
function defineMember(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, Json> = {};
    for (const [key, member] of Object.entries(value)) defineMember(copy, key, clone(member));
    return copy;
  }
  return value;
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(value: Json): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/** Every place in a JSON value, the root included, with the kind of value there. */
export function placesOf(value: Json, path: FieldPath = []): { path: FieldPath; kind: Kind }[] {
  const here = { path, kind: kindOf(value) };
  if (Array.isArray(value)) return [here, ...value.flatMap((item, i) => placesOf(item, [...path, i]))];
  if (value !== null && typeof value === 'object') {
    return [here, ...Object.entries(value).flatMap(([key, member]) => placesOf(member, [...path, key]))];
  }
  return [here];
}

/** A copy of `root` with `change` applied to the value at `path` (undefined deletes it). */
export function changedAt(root: Json, path: FieldPath, change: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return change(root) ?? null;
  const copy = clone(root);
  let parent = copy as Record<string | number, Json>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  const next = change(parent[last] as Json);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (Array.isArray(parent)) parent[Number(last)] = next;
  else defineMember(parent as Record<string, Json>, String(last), next);
  return copy;
}

interface TextEdits {
  /** Raw JSON text written in place of the value at a path (keyed by `formatPath`). */
  readonly raw?: ReadonlyMap<string, string>;
  /** A member written a second time, after the object's own members. */
  readonly repeat?: { readonly at: string; readonly key: string; readonly text: string };
}

/** `JSON.stringify`, with what it cannot write: raw text at a path, a member given twice. */
export function serialize(value: Json, edits: TextEdits = {}, path: FieldPath = []): string {
  const here = formatPath(path);
  const raw = edits.raw?.get(here);
  if (raw !== undefined) return raw;
  if (Array.isArray(value))
    return `[${value.map((item, i) => serialize(item, edits, [...path, i])).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(
      ([key, member]) => `${JSON.stringify(key)}:${serialize(member, edits, [...path, key])}`,
    );
    if (edits.repeat?.at === here) members.push(`${JSON.stringify(edits.repeat.key)}:${edits.repeat.text}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

const jsonHeaders = { 'content-type': 'application/json' };
const json = (text: string, kind: string, headers: Record<string, string> = jsonHeaders): HostileBody => ({
  kind,
  bytes: Buffer.from(text, 'utf8'),
  headers,
});

const placeOfKind = (base: Json, kinds: readonly Kind[]) => {
  const places = placesOf(base).filter((place) => kinds.includes(place.kind));
  return fc.constantFrom(...places);
};

/** A JSON value of another kind than `kind` (never null: null counts as "absent" for optional fields). */
function otherKind(kind: Kind): fc.Arbitrary<Json> {
  const options: [Kind, fc.Arbitrary<Json>][] = [
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['boolean', fc.boolean()],
    ['string', fc.string({ maxLength: 20 })],
    ['array', fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 })],
    [
      'object',
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, {
        maxKeys: 3,
      }),
    ],
  ];
  return fc.oneof(...options.filter(([k]) => k !== kind).map(([, arbitrary]) => arbitrary));
}

const hostileKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, 'toString', 'hasOwnProperty', 'isAdmin', 'role', '', ' ', 'a.b', '$ref'),
  fc.string({ maxLength: 12, unit: 'grapheme' }),
);

const prototypePayload: Json = { polluted: 'yes', role: 'auditor', isAdmin: true, decision: 'approve' };

/** Adds `__proto__`, `constructor` and `prototype` members to every object in the value. */
function withPrototypeKeysEverywhere(value: Json): Json {
  if (Array.isArray(value)) return value.map(withPrototypeKeysEverywhere);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, Json> = {};
    for (const [key, member] of Object.entries(value))
      defineMember(copy, key, withPrototypeKeysEverywhere(member));
    for (const key of PROTOTYPE_KEYS) defineMember(copy, key, clone(prototypePayload));
    return copy;
  }
  return value;
}

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const HUGE_NUMBERS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '0.1e999999'];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/jsonx',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
];

/**
 * Hostile bodies built from a body the route would accept: wrong types, missing and extra fields,
 * prototype keys at every level, huge strings and arrays, deep nesting, unpaired surrogates, bytes
 * that are not UTF-8, numbers like 1e400, duplicate members, truncation, random JSON and bytes, wrong
 * content types and encodings.
 */
export function hostileBodies(base: Json): fc.Arbitrary<HostileBody> {
  const text = (value: Json) => serialize(value);
  return fc.oneof(
    placeOfKind(base, ['object', 'array', 'string', 'number', 'boolean']).chain((place) =>
      otherKind(place.kind).map((value) =>
        json(text(changedAt(base, place.path, () => value)), 'wrong-type'),
      ),
    ),
    placeOfKind(base, ['object', 'array', 'string'])
      .filter((place) => place.path.length > 0)
      .map((place) => json(text(changedAt(base, place.path, () => undefined)), 'missing-field')),
    fc
      .tuple(placeOfKind(base, ['object']), hostileKey, fc.jsonValue({ maxDepth: 2 }))
      .map(([place, key, value]) =>
        json(
          text(
            changedAt(base, place.path, (old) => {
              const copy = clone(old) as Record<string, Json>;
              defineMember(copy, key, value as Json);
              return copy;
            }),
          ),
          'extra-field',
        ),
      ),
    fc.constant(json(text(withPrototypeKeysEverywhere(base)), 'prototype-keys')),
    fc
      .tuple(
        placeOfKind(base, ['string']),
        fc.integer({ min: 2_001, max: 300_000 }),
        fc.constantFrom('x', '示', '😀'),
      )
      .map(([place, length, unit]) =>
        json(
          text(changedAt(base, place.path, () => unit.repeat(Math.ceil(length / unit.length)))),
          'huge-string',
        ),
      ),
    fc
      .tuple(placeOfKind(base, ['string', 'array', 'object']), fc.integer({ min: 1_000, max: 60_000 }))
      .map(([place, length]) =>
        json(text(changedAt(base, place.path, () => Array.from({ length }, (_, i) => i % 10))), 'huge-array'),
      ),
    fc
      .tuple(
        placeOfKind(base, ['string', 'object', 'array']),
        fc.integer({ min: 65, max: 100_000 }),
        fc.constantFrom('[', '{"a":'),
      )
      .map(([place, depth, opener]) => {
        const closer = opener === '[' ? ']' : '}';
        const nested = `${opener.repeat(depth)}1${closer.repeat(depth)}`;
        return json(serialize(base, { raw: new Map([[formatPath(place.path), nested]]) }), 'deep-nesting');
      }),
    fc
      .tuple(placeOfKind(base, ['string']), fc.string({ maxLength: 5 }), fc.constantFrom(...LONE_SURROGATES))
      .map(([place, prefix, surrogate]) =>
        json(text(changedAt(base, place.path, () => `${prefix}${surrogate}`)), 'lone-surrogate'),
      ),
    fc.tuple(placeOfKind(base, ['string']), fc.constantFrom(...INVALID_UTF8)).map(([place, bad]) => {
      const marker = '\u0001MARK\u0001';
      const [before = '', after = ''] = text(
        changedAt(base, place.path, (old) => `${String(old)}${marker}`),
      ).split(JSON.stringify(marker).slice(1, -1));
      return {
        kind: 'invalid-utf8',
        bytes: Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]),
        headers: jsonHeaders,
      };
    }),
    fc
      .tuple(placeOfKind(base, ['string', 'object', 'array']), fc.constantFrom(...HUGE_NUMBERS))
      .map(([place, number]) =>
        json(serialize(base, { raw: new Map([[formatPath(place.path), number]]) }), 'huge-number'),
      ),
    fc
      .tuple(fc.constantFrom(...membersOf(base)), fc.boolean())
      .map(([{ at, key, value }, same]) =>
        json(
          serialize(base, { repeat: { at, key, text: same ? JSON.stringify(value) : '"approve"' } }),
          'duplicate-key',
        ),
      ),
    fc.nat().map((cut) => {
      const bytes = Buffer.from(text(base), 'utf8');
      return {
        kind: 'truncated',
        bytes: bytes.subarray(0, 1 + (cut % (bytes.length - 1))),
        headers: jsonHeaders,
      };
    }),
    fc.constantFrom(...WRONG_CONTENT_TYPES).map((type) => ({
      kind: 'wrong-content-type',
      bytes: Buffer.from(text(base), type.includes('utf-16') ? 'utf16le' : 'utf8'),
      headers: { 'content-type': type },
    })),
    fc.constantFrom<HostileBody>(
      { kind: 'empty', bytes: Buffer.alloc(0), headers: jsonHeaders },
      { kind: 'empty', bytes: undefined, headers: {} },
      { kind: 'empty', bytes: Buffer.from('  \r\n '), headers: jsonHeaders },
      { kind: 'not-json', bytes: Buffer.from('null'), headers: jsonHeaders },
      { kind: 'not-json', bytes: Buffer.from('"text"'), headers: jsonHeaders },
      { kind: 'not-json', bytes: Buffer.from('1e400'), headers: jsonHeaders },
      { kind: 'not-json', bytes: Buffer.from("{'a':1}"), headers: jsonHeaders },
      { kind: 'not-json', bytes: Buffer.from('{"a":NaN}'), headers: jsonHeaders },
      {
        kind: 'content-encoding',
        bytes: Buffer.from('not gzip'),
        headers: { ...jsonHeaders, 'content-encoding': 'gzip' },
        expected: { status: 400, errors: ['$:unreadable_body'] },
      },
      {
        kind: 'content-encoding',
        bytes: Buffer.from('{}'),
        headers: { ...jsonHeaders, 'content-encoding': 'x-unknown' },
        expected: { status: 415, errors: ['Content-Encoding:unsupported_encoding'] },
      },
      {
        kind: 'content-encoding',
        // Inflates beyond every route's limit, the largest (4 MiB) included.
        bytes: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)),
        headers: { ...jsonHeaders, 'content-encoding': 'gzip' },
        expected: { status: 413 },
      },
    ),
    fc.jsonValue({ maxDepth: 4 }).map((value) => json(JSON.stringify(value), 'random-json')),
    fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => ({ kind: 'random-bytes', bytes: Buffer.from(bytes), headers: jsonHeaders })),
  );
}

/** Every member of every object in the value, as the object's path, the key and the value. */
function membersOf(value: Json, path: FieldPath = []): { at: string; key: string; value: Json }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => membersOf(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => [
    { at: formatPath(path), key, value: member },
    ...membersOf(member, [...path, key]),
  ]);
}

const problem = (status: number, errors?: readonly FieldError[]): ExpectedAnswer =>
  errors ? { status, errors: asText(errors) } : { status };

/**
 * The answer the API owes a body: the pipeline of `configureHttp` (content type, size, UTF-8, what
 * `JSON.parse` must not be trusted with, syntax), then the route's own validation. `accepted` when
 * nothing refuses it, which a hostile body must never be.
 */
export function expectedAnswer(
  body: HostileBody,
  validate: RouteValidation,
  limitBytes: number = BODY_LIMIT_BYTES,
): ExpectedAnswer | 'accepted' {
  const { bytes, headers } = body;
  if (body.expected) return body.expected;
  const contentType = headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (bytes !== undefined && bytes.length > 0) {
    if (mediaType !== 'application/json') return problem(415);
    const charset = /charset=([^;\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return problem(415);
    if (bytes.length > limitBytes) return problem(413);
  }
  // body-parser reads an empty JSON body as {}, and leaves any other empty body undefined.
  const parsed: unknown = mediaType === 'application/json' ? {} : undefined;
  if (bytes === undefined || bytes.length === 0) return answerTo(validate(parsed));
  if (!isUtf8(bytes)) return { status: 400, errors: ['$:invalid_utf8'] };
  const text = bytes.toString('utf8');
  const findings = findUnacceptedJson(text);
  if (findings.length > 0) return problem(400, findings);
  // body-parser's strict mode: after JSON whitespace, an object or an array.
  const first = text.replace(/^\uFEFF/, '').replace(/^[ \t\n\r]+/, '')[0];
  if (first !== '{' && first !== '[') return { status: 400, errors: ['$:malformed_json'] };
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { status: 400, errors: ['$:malformed_json'] };
  }
  return answerTo(validate(value));
}

function answerTo(errors: readonly FieldError[]): ExpectedAnswer | 'accepted' {
  return errors.length === 0 ? 'accepted' : problem(400, errors);
}
