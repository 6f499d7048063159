import { parseFilingList } from './list.requests';

describe('GET /v1/filings query: ?kind=', () => {
  it('takes a filing kind beside the other filters', () => {
    expect(parseFilingList({ kind: 'change', stage: 'bureau_review' })).toEqual({
      ok: true,
      value: { kind: 'change', stage: 'bureau_review', limit: 50 },
    });
    expect(parseFilingList({})).toEqual({ ok: true, value: { limit: 50 } });
  });

  it('refuses a kind that is not one, naming the parameter and the rule', () => {
    const parsed = parseFilingList({ kind: 'renewal' });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      expect.objectContaining({ path: 'kind', rule: 'invalid_choice' }),
    ]);
  });
});
