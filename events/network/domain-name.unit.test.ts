import { domainNameProblem } from './domain-name';

describe('domainNameProblem', () => {
  it.each([
    'example.com',
    'api.example.com',
    'API.Example.COM',
    'xn--cd3au2a.example.com',
    'xn--fsq092h.xn--fiqs8s',
    'a-b.example.cn',
    '1password.example.com',
    `${'a'.repeat(63)}.example.com`,
  ])('accepts %s', (name) => {
    expect(domainNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['https://example.com', 'has_scheme'],
    ['example.com/path', 'has_path'],
    ['example.com?q=1', 'has_path'],
    ['example.com:8080', 'has_port'],
    ['*.example.com', 'wildcard'],
    ['记账.example.com', 'not_ascii'],
    ['example.com.', 'trailing_dot'],
    ['localhost', 'single_label'],
    ['', 'single_label'],
    ['-api.example.com', 'bad_label'],
    ['api-.example.com', 'bad_label'],
    ['api..example.com', 'bad_label'],
    ['api_v2.example.com', 'bad_label'],
    ['api example.com', 'bad_label'],
    [`${'a'.repeat(64)}.example.com`, 'bad_label'],
    ['47.96.123.45', 'bad_top_level'],
    ['example.c', 'bad_top_level'],
    [`${'abcdefghi.'.repeat(26)}com`, 'too_long'],
  ])('%s → %s', (name, problem) => {
    expect(domainNameProblem(name)).toBe(problem);
  });
});
