import { formatPath } from './field-path';

describe('formatPath', () => {
  it.each([
    [[], '$'],
    [['appPrincipal', 'idNumber'], 'appPrincipal.idNumber'],
    [['app', 'platforms', 0, 'packageName'], 'app.platforms.0.packageName'],
    [['app', '备注'], 'app.备注'],
    [[''], '[""]'],
    [['app', 'a.b'], 'app["a.b"]'],
    [['app', ' '], 'app[" "]'],
    [['app', 'say "hi"', 1], 'app["say \\"hi\\""].1'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
