import fc from 'fast-check';
import { loadValidForm, VALID_FORM_FIXTURES } from '../../test/fixtures/forms/form-fixtures';
import { FORM_RULE_CODES } from './form-rules';
import type { FormIssue } from './schema/form-issues';
import { type FormValidationResult, validateRegistrationForm } from './validate-form';

/**
 * Random damage to the valid fixtures: whatever JSON arrives, validation answers with one of the
 * two result shapes and never throws.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

const fixtures = VALID_FORM_FIXTURES.map((name) => loadValidForm(name) as Json);
const PERSONAL_FIELDS = new Set(['idNumber', 'mobile', 'email', 'emergencyContact', 'creditCode']);

function pathsOf(value: Json, at: Path = []): Path[] {
  const paths: Path[] = [at];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...at, index])));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...at, key]));
  }
  return paths;
}

function getAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[String(key)];
  }
  return node;
}

/** Replaces (or, with `undefined`, removes) the value at `path`; the root is replaced by returning it. */
function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? {} : value;
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(key), 1);
    else parent[Number(key)] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (value === undefined) delete parent[String(key)];
    else parent[String(key)] = value;
  }
  return root;
}

const EDGE_VALUES: readonly Json[] = [
  null,
  '',
  ' ',
  'none',
  'long-term',
  'app',
  'mini_program',
  'individual',
  'android',
  'ios',
  'harmony',
  '440000',
  '810000',
  0,
  -0,
  1e308,
  true,
  [],
  {},
  ['none'],
  [{ category: 'none' }],
  'x'.repeat(5000),
  Array.from({ length: 200 }, (_, i) => `47.96.0.${i % 256}`),
];
const edgeValues: fc.Arbitrary<Json> = fc.constantFrom(...EDGE_VALUES);

const anyJson: fc.Arbitrary<Json> = fc.oneof(edgeValues, fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>);

/** Mutations clone what they insert: generated values may be shared between runs. */
type Mutation = (form: Json, pick: number) => Json;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  anyJson.map((value): Mutation => (form, pick) => {
    const paths = pathsOf(form);
    return setAt(form, paths[pick % paths.length] ?? [], structuredClone(value));
  }),
  fc.constant<Mutation>((form, pick) => {
    const paths = pathsOf(form).filter((path) => path.length > 0);
    return paths.length === 0 ? form : setAt(form, paths[pick % paths.length] ?? [], undefined);
  }),
  fc.tuple(fc.string({ maxLength: 12 }), anyJson).map(([key, value]): Mutation => (form, pick) => {
    const objects = pathsOf(form).filter((path) => {
      const node = getAt(form, path);
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    const target = getAt(form, objects[pick % Math.max(objects.length, 1)] ?? []);
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      target[key] = structuredClone(value);
    return form;
  }),
  fc
    .tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 3 }))
    .map(([position, insert]): Mutation => (form, pick) => {
      const strings = pathsOf(form).filter((path) => typeof getAt(form, path) === 'string');
      const path = strings[pick % Math.max(strings.length, 1)];
      const text = path && getAt(form, path);
      if (path === undefined || typeof text !== 'string') return form;
      const at = position % (text.length + 1);
      return setAt(form, path, text.slice(0, at) + insert + text.slice(at + 1));
    }),
  fc.constant<Mutation>((form, pick) => {
    const lists = pathsOf(form).filter((path) => Array.isArray(getAt(form, path)));
    const list = getAt(form, lists[pick % Math.max(lists.length, 1)] ?? []);
    if (Array.isArray(list) && list.length > 0) list.push(structuredClone(list[pick % list.length] ?? null));
    return form;
  }),
);

const mutatedForm: fc.Arbitrary<Json> = fc
  .tuple(
    fc.nat({ max: fixtures.length - 1 }),
    fc.array(fc.tuple(mutation, fc.nat()), { minLength: 1, maxLength: 5 }),
  )
  .map(([fixture, mutations]) =>
    mutations.reduce(
      (form, [mutate, pick]) => mutate(form, pick),
      structuredClone(fixtures[fixture] ?? null),
    ),
  );

const submittedOn = fc.constantFrom('2025-06-01', '2024-02-29', '2041-05-20', '1990-01-01');

function expectWellFormedIssue(issue: FormIssue): void {
  expect(Object.keys(issue).sort()).toEqual(['message', 'path', 'rule']);
  expect(issue.path).toEqual(expect.stringMatching(/\S/));
  expect(issue.message).toEqual(expect.stringMatching(/\S/));
  expect(FORM_RULE_CODES).toContain(issue.rule);
}

function expectOneOfTheTwoShapes(result: FormValidationResult): void {
  if (result.ok) {
    expect(Object.keys(result).sort()).toEqual(['ok', 'value', 'warnings']);
  } else {
    expect(result.ok).toBe(false);
    expect(Object.keys(result).sort()).toEqual(['errors', 'ok', 'warnings']);
    expect(result.errors.length).toBeGreaterThan(0);
    result.errors.forEach(expectWellFormedIssue);
  }
  result.warnings.forEach(expectWellFormedIssue);
}

/** Values in personal-data fields that look like personal data (digits or an @), not generator constants. */
function personalValues(form: Json): string[] {
  return pathsOf(form)
    .filter((path) => PERSONAL_FIELDS.has(String(path[path.length - 1])))
    .map((path) => getAt(form, path))
    .filter((value): value is string => typeof value === 'string' && value.length >= 8)
    .filter((value) => /\d{5}|@/.test(value) && !EDGE_VALUES.includes(value));
}

describe('validateRegistrationForm on randomly damaged fixtures', () => {
  it('never throws and always answers with one of the two result shapes', () => {
    fc.assert(
      fc.property(mutatedForm, submittedOn, (form, date) => {
        expectOneOfTheTwoShapes(validateRegistrationForm(form, { submittedOn: date }));
      }),
      { numRuns: 600 },
    );
  });

  it('is deterministic and leaves its input untouched', () => {
    fc.assert(
      fc.property(mutatedForm, submittedOn, (form, date) => {
        const before = JSON.stringify(form);
        const first = validateRegistrationForm(form, { submittedOn: date });
        expect(JSON.stringify(form)).toBe(before);
        expect(validateRegistrationForm(JSON.parse(before), { submittedOn: date })).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('never repeats personal data in a message', () => {
    fc.assert(
      fc.property(mutatedForm, (form) => {
        const result = validateRegistrationForm(form, { submittedOn: '2025-06-01' });
        const messages = [...(result.ok ? [] : result.errors), ...result.warnings].map(
          (issue) => issue.message,
        );
        for (const value of personalValues(form)) {
          for (const message of messages) expect(message).not.toContain(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary JSON either', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        expectOneOfTheTwoShapes(validateRegistrationForm(input, { submittedOn: '2025-06-01' }));
      }),
      { numRuns: 300 },
    );
  });
});
