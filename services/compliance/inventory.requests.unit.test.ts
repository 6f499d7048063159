import { parseInventoryLines, parseInventoryReport, parseJsonLines } from './inventory.requests';

const good = { kind: 'package', value: 'com.example.app', province: '440000' };

function errorsOf(lines: unknown[]) {
  const parsed = parseInventoryLines(lines);
  return parsed.ok ? [] : parsed.errors.map(({ path, rule }) => ({ path, rule }));
}

describe('inventory lines', () => {
  it('are read into the lines stored, qualifiers and dates kept', () => {
    const parsed = parseInventoryReport({
      lines: [
        { ...good, signatureMd5: 'A'.repeat(32), servedSince: '2024-05-01', name: '示例' },
        { kind: 'mini_program', value: 'wx123', hostApp: 'wechat', province: '110000' },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      value: [
        { ...good, signatureMd5: 'A'.repeat(32), servedSince: '2024-05-01', name: '示例' },
        { kind: 'mini_program', value: 'wx123', hostApp: 'wechat', province: '110000' },
      ],
    });
  });

  it('name the line and field of each mistake, with the verification rules for identifiers', () => {
    expect(
      errorsOf([
        good,
        { ...good, signatureMd5: 'xyz' },
        { ...good, kind: 'bundle', signatureMd5: 'a'.repeat(32) },
        { ...good, province: '999999', servedSince: '2024-02-30' },
        { ...good, kind: 'app', colour: 'red' },
        { ...good, value: 'x'.repeat(300) },
      ]),
    ).toEqual([
      { path: 'lines[1].signatureMd5', rule: 'pattern' },
      { path: 'lines[2].signatureMd5', rule: 'qualifier_without_identifier' },
      { path: 'lines[3].province', rule: 'unknown_province' },
      { path: 'lines[3].servedSince', rule: 'date' },
      { path: 'lines[4].colour', rule: 'unknown_field' },
      { path: 'lines[4].kind', rule: 'invalid_choice' },
      { path: 'lines[5].value', rule: 'too_long' },
    ]);
  });

  it('are refused when there are none, and list at most 100 errors', () => {
    expect(errorsOf([])).toEqual([{ path: 'lines', rule: 'too_few' }]);
    expect(errorsOf(Array.from({ length: 150 }, () => ({ ...good, province: '' })))).toHaveLength(100);
  });

  it('are read from JSON Lines, a line that is not JSON named', () => {
    expect(parseJsonLines(`${JSON.stringify(good)}\n\n${JSON.stringify(good)}\n`)).toEqual({
      ok: true,
      value: [good, good],
    });
    const parsed = parseJsonLines(`${JSON.stringify(good)}\n{oops\n`);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path)).toEqual(['lines[1]']);
  });
});
