import { CatalogueError, parseCatalogue } from './verify-catalogue';

describe('parseCatalogue', () => {
  it('reads CSV cells, quoted or not, skipping blank lines and empty cells', () => {
    const csv = '\uFEFFdomain,miniProgramId,hostApp\r\n"maps.example.com",,\r\n\r\n,wx01,"微信 ""官方"""\r\n';
    expect(parseCatalogue(csv, 'csv')).toEqual([
      { line: 2, request: { kind: 'domain', value: 'maps.example.com' } },
      { line: 4, request: { kind: 'mini_program', value: 'wx01', hostApp: '微信 "官方"' } },
    ]);
  });

  it('reads JSON Lines with the line numbers an editor shows', () => {
    const jsonl =
      '{"bundleId":"com.a","signatureSha1":"' + 'B'.repeat(40) + '"}\n\n{"quickAppPackage":"q.a"}\n';
    expect(parseCatalogue(jsonl, 'jsonl')).toEqual([
      { line: 1, request: { kind: 'bundle', value: 'com.a', signatureSha1: 'B'.repeat(40) } },
      { line: 3, request: { kind: 'quick_app', value: 'q.a' } },
    ]);
  });

  it.each([
    ['domain\n"a.cn\n', 'line 2: a quoted cell is not closed'],
    ['domain,hostApp\na.cn\n', 'line 2: 1 cells, the header names 2'],
    ['packageName\n\n', undefined],
  ])('names the line of a bad CSV (%j)', (csv, message) => {
    if (message === undefined) expect(parseCatalogue(csv, 'csv')).toEqual([]);
    else expect(() => parseCatalogue(csv, 'csv')).toThrow(new CatalogueError(message));
  });

  it('names the line and field of an item the API would refuse', () => {
    expect(() => parseCatalogue('{"domain":"a.cn"}\n[1]\n', 'jsonl')).toThrow(
      new CatalogueError('line 2: an item must be a JSON object'),
    );
    expect(() => parseCatalogue('{"domain":"a.cn","signatureMd5":"00"}\n', 'jsonl')).toThrow(
      new CatalogueError('line 1: signatureMd5: signatureMd5 must be 32 hexadecimal digits'),
    );
  });
});
