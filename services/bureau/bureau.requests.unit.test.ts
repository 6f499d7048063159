import { parsePlatformReview } from '../filings/filings.requests';
import { bureauReviewBody, parseBureauReview } from './bureau.requests';

const PACKAGE_NAME = {
  path: 'app.platforms.0.packageName',
  problem: '包名与安装包不一致',
  suggestion: '按安装包填写',
};

describe('bureau review body', () => {
  it('takes a return with its explanation and per-field reasons', () => {
    expect(
      parseBureauReview({ decision: 'return', reasons: '请修改', fieldReasons: [PACKAGE_NAME] }),
    ).toEqual({
      ok: true,
      value: { decision: 'return', reasons: '请修改', fieldReasons: [PACKAGE_NAME] },
    });
  });

  it('refuses a path that is no field of the form, naming fieldReasons.N.path', () => {
    const parsed = parseBureauReview({
      decision: 'return',
      reasons: '请修改',
      fieldReasons: [PACKAGE_NAME, { path: 'foo.bar', problem: '?' }],
    });
    expect(parsed).toEqual({
      ok: false,
      errors: [{ path: 'fieldReasons.1.path', rule: 'unknown_form_field', message: expect.any(String) }],
    });
  });

  it.each([
    [{ decision: 'return', reasons: '请修改' }, 'fieldReasons', 'required'],
    [{ decision: 'return', reasons: '请修改', fieldReasons: [] }, 'fieldReasons', 'required'],
    [{ decision: 'return', fieldReasons: [PACKAGE_NAME] }, 'reasons', 'required'],
    [{ decision: 'approve', fieldReasons: [PACKAGE_NAME] }, 'fieldReasons', 'not_allowed'],
    [
      { decision: 'reject', reasons: 'x', fieldReasons: [{ path: 'app.name' }] },
      'fieldReasons.0.problem',
      'required',
    ],
    [
      { decision: 'reject', reasons: 'x', fieldReasons: [{ ...PACKAGE_NAME, extra: 1 }] },
      'fieldReasons.0.extra',
      'unknown_field',
    ],
    [{ decision: 'reject', reasons: 'x', fieldReasons: 'app.name' }, 'fieldReasons', 'type'],
  ])('refuses %j at %s (%s)', (body, path, rule) => {
    const parsed = parseBureauReview(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.map((error) => [error.path, error.rule])).toContainEqual([
      path,
      rule,
    ]);
  });

  it('publishes the return and its field reasons in the schema', () => {
    expect(JSON.stringify(bureauReviewBody.schema)).toContain('"return"');
    expect(bureauReviewBody.schema.properties).toHaveProperty('fieldReasons');
  });

  it('lets the platform return or reject with per-field reasons too', () => {
    expect(
      parsePlatformReview({ decision: 'return', reasons: '请修改', fieldReasons: [PACKAGE_NAME] }),
    ).toMatchObject({
      ok: true,
    });
    expect(parsePlatformReview({ decision: 'return', reasons: '请修改' })).toMatchObject({ ok: true });
  });
});
