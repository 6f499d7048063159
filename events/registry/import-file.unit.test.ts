import { organisationLine, uscc } from '../../test/support/registry-import-lines';
import { CSV_COLUMNS, UnusableImportFile, csvRecords, jsonlRecords, parseCsv } from './import-file';

const TODAY = '2026-12-07';
const HEADER = CSV_COLUMNS.join(',');

function csvRow(index: number, n: number, edit: Partial<Record<string, string>> = {}): string {
  const line = organisationLine(index);
  const cells: Record<string, string> = {
    certificateType: 'uscc',
    certificateNumber: line.certificateNumber,
    operatorName: line.operatorName,
    operatorNature: line.operatorNature,
    subjectNumber: line.subjectNumber,
    serviceNumber: `${line.subjectNumber}-${n}`,
    websiteName: `"网站, ${n}"`,
    domains: `a${n}.example.cn; b${n}.example.cn`,
    approvedOn: '2021-06-01',
    ...edit,
  };
  return CSV_COLUMNS.map((column) => cells[column]).join(',');
}

describe('a JSONL import file', () => {
  it('is one subject per line; blank lines are skipped and line numbers kept', () => {
    const text = `${JSON.stringify(organisationLine(1))}\n\n{"certificateType":\n${JSON.stringify(organisationLine(2))}`;
    const records = jsonlRecords(text, TODAY);
    expect(records.map((record) => [record.line, record.subject !== undefined])).toEqual([
      [1, true],
      [3, false],
      [4, true],
    ]);
    expect(records[1]?.errors).toEqual([
      { line: 3, field: '', rule: 'json_syntax', message: 'is not one JSON value' },
    ]);
  });
});

describe('a CSV import file', () => {
  it('groups consecutive rows of one certificate into one subject with its websites', () => {
    const text = [HEADER, csvRow(1, 1), csvRow(1, 2), csvRow(2, 1)].join('\r\n');
    const records = csvRecords(`\uFEFF${text}`, TODAY);
    expect(records.map((record) => [record.line, record.lineCount, record.errors.length])).toEqual([
      [2, 2, 0],
      [4, 1, 0],
    ]);
    expect(records[0]?.subject?.websites).toMatchObject([
      { n: 1, name: '网站, 1', domains: ['a1.example.cn', 'b1.example.cn'] },
      { n: 2, name: '网站, 2' },
    ]);
  });

  it('names a bad row by its line and its column', () => {
    const text = [
      HEADER,
      csvRow(1, 1),
      csvRow(1, 2, { domains: 'a.example.cn;https://b.example.cn' }),
      csvRow(1, 3, { operatorName: 'someone else' }),
      csvRow(2, 1, { websiteName: '' }),
    ].join('\n');
    const errors = csvRecords(text, TODAY).flatMap((record) => record.errors);
    expect(errors.map(({ line, field, rule }) => ({ line, field, rule }))).toEqual([
      { line: 3, field: 'domains', rule: 'domain_format' },
      { line: 4, field: 'operatorName', rule: 'csv_row_differs' },
      { line: 5, field: 'websiteName', rule: 'required' },
    ]);
    expect(JSON.stringify(errors)).not.toContain(uscc(1));
  });

  it.each([
    ['', 'the CSV file is empty: it needs a header row'],
    [`${HEADER},remarks\n`, 'the CSV header names an unknown column "remarks"'],
    ['certificateType,certificateNumber\n', 'the CSV header lacks the columns operatorName, operatorNature'],
  ])('cannot be imported without its header: %j', (text, message) => {
    expect(() => csvRecords(text, TODAY)).toThrow(UnusableImportFile);
    expect(() => csvRecords(text, TODAY)).toThrow(message);
  });

  it('is parsed as RFC 4180: quoted commas, quotes and line breaks; each row keeps its first line', () => {
    expect(parseCsv('a,"b,""c""",d\n"x\ny",z\r\nlast')).toEqual([
      { line: 1, fields: ['a', 'b,"c"', 'd'] },
      { line: 2, fields: ['x\ny', 'z'] },
      { line: 4, fields: ['last'] },
    ]);
  });
});
