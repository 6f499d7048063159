import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { findUnacceptedJson, MAX_JSON_DEPTH, UnacceptedJsonError, verifyJsonBody } from './strict-json';

const rules = (text: string) => findUnacceptedJson(text).map((e) => `${e.path}:${e.rule}`);

function verify(bytes: Buffer, encoding = 'utf-8'): UnacceptedJsonError | undefined {
  try {
    verifyJsonBody({} as IncomingMessage, {} as ServerResponse, bytes, encoding);
    return undefined;
  } catch (error) {
    if (error instanceof UnacceptedJsonError) return error;
    throw error;
  }
}

describe('findUnacceptedJson', () => {
  it('accepts any JSON value of well-formed text, nesting and all', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 2), (value, indent) => {
        expect(findUnacceptedJson(JSON.stringify(value, null, indent))).toEqual([]);
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it('names a member given twice, wherever it is, also when spelled with escapes', () => {
    expect(rules('{"decision":"approve","decision":"reject"}')).toEqual(['decision:duplicate_key']);
    expect(rules('{"app":{"platforms":[{"os":"ios"},{"os":"ios","os":"android"}]}}')).toEqual([
      'app.platforms.1.os:duplicate_key',
    ]);
    expect(rules('{"a":1,"\\u0061":2}')).toEqual(['a:duplicate_key']);
    expect(rules('{"a":{"x":1},"b":{"x":1}}')).toEqual([]);
    expect(rules('{"__proto__":1,"__proto__":2}')).toEqual(['__proto__:duplicate_key']);
  });

  it('names text holding an unpaired surrogate, in a value or a member name', () => {
    expect(rules('{"reasons":"x\\ud800"}')).toEqual(['reasons:invalid_unicode']);
    expect(rules('{"list":["ok","\\udfff"]}')).toEqual(['list.1:invalid_unicode']);
    expect(rules('{"\\ud800":1}')).toEqual(['\uFFFD:invalid_unicode']);
    expect(rules('{"pair":"\\ud83d\\ude00","raw":"😀"}')).toEqual([]);
    const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
    fc.assert(
      fc.property(fc.string(), lone, fc.string(), (before, surrogate, after) => {
        const text = JSON.stringify({ value: [before + surrogate + after] });
        expect(rules(text)).toEqual(['value.0:invalid_unicode']);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without recursing`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(rules(nested(MAX_JSON_DEPTH))).toEqual([]);
    expect(rules(nested(MAX_JSON_DEPTH + 1))).toEqual([
      `${Array.from({ length: MAX_JSON_DEPTH }, () => '0').join('.')}:too_deep`,
    ]);
    expect(rules(`{"reasons":${nested(100_000)}}`)).toEqual([
      expect.stringMatching(/^reasons(\.0)+:too_deep$/),
    ]);
    expect(rules('['.repeat(1_000_000))).toHaveLength(1);
  });

  it('leaves text that is not JSON to the parser', () => {
    for (const text of [
      '',
      '{',
      '{"a":1,"a":2',
      '{"a" 1}',
      '{"a":1,}',
      '[1 2]',
      '{"a":"\\x"}',
      '"open',
      '{}}',
    ])
      expect(findUnacceptedJson(text)).toEqual([]);
  });

  it('reads escaped quotes and backslashes inside strings', () => {
    expect(rules('{"a":"x\\"y","b":"\\\\","a":1}')).toEqual(['a:duplicate_key']);
    expect(rules('\uFEFF{"a":1,"a":1}')).toEqual(['a:duplicate_key']);
  });

  it('stops at 20 findings', () => {
    const text = `{${Array.from({ length: 50 }, () => '"k":1').join(',')}}`;
    expect(findUnacceptedJson(text)).toHaveLength(20);
  });
});

describe('verifyJsonBody', () => {
  it('refuses bytes that are not UTF-8 instead of decoding them to U+FFFD', () => {
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const body = Buffer.concat([Buffer.from('{"reasons":"a'), Buffer.from(bad), Buffer.from('"}')]);
      expect(verify(body)?.errors).toEqual([expect.objectContaining({ path: '$', rule: 'invalid_utf8' })]);
    }
  });

  it('refuses another charset and passes well-formed UTF-8 JSON', () => {
    expect(verify(Buffer.from('{}'), 'utf-16le')?.errors[0]?.rule).toBe('invalid_utf8');
    expect(verify(Buffer.from('{"appName":"示例记账 😀"}'))).toBeUndefined();
  });

  it('carries the status and type body-parser keeps', () => {
    const error = verify(Buffer.from('{"a":1,"a":2}'));
    expect(error).toMatchObject({ status: 400, type: 'entity.verify.failed' });
  });
});
