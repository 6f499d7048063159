import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** The definition, written the obvious way (entries filtered, sorted, mapped, joined): the spec to match. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('canonicalJson: non-finite number');
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new Error(`canonicalJson: ${typeof value} is not JSON`);
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${reference(member)}`).join(',')}}`;
}

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code unit (an astral key before U+FF5A) at every level and writes no whitespace', () => {
    expect(
      canonicalJson({ b: 1, a: [{ z: true, y: null }], '10': 'x', '9': 'y', é: 0, '😀': 1, ｚ: 2 }),
    ).toBe('{"10":"x","9":"y","a":[{"y":null,"z":true}],"b":1,"é":0,"😀":1,"ｚ":2}');
  });

  it('drops undefined members, writes undefined items as null and escapes as JSON does', () => {
    expect(canonicalJson({ gone: undefined, list: [undefined, 1], text: '"\\\n\u0000\u2028\ud800' })).toBe(
      '{"list":[null,1],"text":"\\"\\\\\\n\\u0000\u2028\\ud800"}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes numbers as JSON does and refuses what JSON cannot hold', () => {
    expect(canonicalJson([-0, 1e21, 1e-7, 5e-324, 0.1 + 0.2])).toBe(
      '[0,1e+21,1e-7,5e-324,0.30000000000000004]',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('non-finite number');
    expect(() => canonicalJson([Infinity])).toThrow('non-finite number');
    expect(() => canonicalJson({ big: 1n })).toThrow('bigint is not JSON');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function is not JSON');
  });

  it('gives the same text for the same value whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });

  it('writes exactly the text of the definition for any value, unicode and sparse arrays included', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 2;
    expect(canonicalJson({ sparse })).toBe(reference({ sparse }));
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          stringUnit: 'binary',
        }),
        (value) => {
          let expected: string | Error;
          try {
            expected = reference(value);
          } catch (error) {
            expected = error as Error;
          }
          if (expected instanceof Error) expect(() => canonicalJson(value)).toThrow(expected.message);
          else expect(canonicalJson(value)).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
