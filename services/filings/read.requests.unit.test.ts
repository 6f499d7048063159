import { parseFilingRead } from './read.requests';
import { matchesRevision } from './revision-etag.interceptor';

describe('parseFilingRead', () => {
  it('reads eventually by default, and takes the higher of minRevision and X-Min-Revision', () => {
    expect(parseFilingRead({}, undefined)).toEqual({ ok: true, value: { consistency: 'eventual' } });
    expect(parseFilingRead({ consistency: 'strong', minRevision: '0' }, undefined)).toEqual({
      ok: true,
      value: { consistency: 'strong', minRevision: 0 },
    });
    expect(parseFilingRead({ minRevision: '7' }, ' 12 ')).toEqual({
      ok: true,
      value: { consistency: 'eventual', minRevision: 12 },
    });
  });

  it.each([
    [{ minRevision: '-1' }, undefined, ['minRevision']],
    [{ minRevision: '1.5' }, undefined, ['minRevision']],
    [{ minRevision: '1234567890' }, undefined, ['minRevision']],
    [{ minRevision: ['1', '2'] }, undefined, ['minRevision']],
    [{ consistency: 'linearizable' }, undefined, ['consistency']],
    [{}, 'soon', ['X-Min-Revision']],
    [{ since: '1' }, undefined, ['since']],
  ])('refuses %j (X-Min-Revision %s), naming %j', (query, header, paths) => {
    const parsed = parseFilingRead(query, header);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((error) => error.path)).toEqual(paths);
  });
});

describe('matchesRevision (If-None-Match)', () => {
  it.each([
    ['"7"', true],
    ['W/"7"', true],
    ['"6", "7"', true],
    ['*', true],
    ['"6"', false],
    ['7', false],
    [undefined, false],
  ])('%s against revision 7: %s', (header, matches) => {
    expect(matchesRevision(header, 7)).toBe(matches);
  });
});
