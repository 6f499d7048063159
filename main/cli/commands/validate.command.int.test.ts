import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  listInvalidForms,
  validFormPath,
  VALID_FORM_FIXTURES,
} from '../../../test/fixtures/forms/form-fixtures';
import { VARIANT_SUBMITTED_ON } from '../../../test/fixtures/forms/invalid-form-variants';
import { runCommand } from '../../../test/cli/run-command';
import { createValidateCommand, todayInChina, validateCommand } from './validate.command';

const run = (args: readonly string[], command = validateCommand) => runCommand(command, args);

describe('icp validate', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-validate-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeTemp(name: string, content: string): string {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  }

  it('describes itself for the dispatcher', () => {
    expect(validateCommand.name).toBe('validate');
    expect(validateCommand.usage).toContain('icp validate <file.json>');
  });

  it.each(VALID_FORM_FIXTURES.map((name) => [name]))(
    'prints valid and exits 0 for %s (today’s date)',
    async (name) => {
      expect(await run([validFormPath(name)])).toEqual({ code: 0, out: ['valid'], err: [] });
    },
  );

  it('exits 1 naming appPrincipal.idNumber when one of its digits is changed', async () => {
    const form = JSON.parse(readFileSync(validFormPath('valid-app'), 'utf8')) as {
      appPrincipal: { idNumber: string };
    };
    const id = form.appPrincipal.idNumber;
    form.appPrincipal.idNumber = `${id.slice(0, 14)}${(Number(id[14]) + 1) % 10}${id.slice(15)}`;
    const file = writeTemp('one-digit-changed.json', JSON.stringify(form, null, 2));

    const { code, out, err } = await run([file]);

    expect(code).toBe(1);
    expect(err).toEqual([]);
    expect(out).toEqual([
      'appPrincipal.idNumber: resident_id_checksum: the check character does not match the 17 digits before it',
    ]);
    expect(out.join('\n')).not.toContain(form.appPrincipal.idNumber);
  });

  it.each(listInvalidForms().map((fixture) => [fixture.name, fixture]))(
    'reports %s by its rule',
    async (_name, fixture) => {
      const { code, out } = await run([fixture.path, '--date', VARIANT_SUBMITTED_ON]);
      if (fixture.rule === 'credit_code_checksum') {
        expect(code).toBe(0);
        expect(out[0]).toBe('valid');
        expect(out[1]).toMatch(/^warning: operator\.creditCode: credit_code_checksum: /);
      } else {
        expect(code).toBe(1);
        expect(out).toHaveLength(1);
        expect(out[0]?.split(': ')[1]).toBe(fixture.rule);
      }
    },
  );

  it('prints the verdict as JSON with --json, without echoing the personal data in the form', async () => {
    const valid = await run(['--json', validFormPath('valid-mini-program')]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.out.join('\n'))).toEqual({ ok: true, warnings: [] });

    const file = writeTemp('not-an-object.json', '[]');
    const invalid = await run([file, '--json']);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.out.join('\n'))).toEqual({
      ok: false,
      errors: [{ path: '$', rule: 'type', message: 'must be an object, not a list' }],
      warnings: [],
    });
  });

  it('validates as of --date, and by default as of today in China', async () => {
    const form = JSON.parse(readFileSync(validFormPath('valid-app'), 'utf8')) as { appPrincipal: object };
    form.appPrincipal = { ...form.appPrincipal, idValidUntil: '2030-01-01' };
    const file = writeTemp('expires-2030.json', JSON.stringify(form));

    expect((await run([file, '--date', '2029-11-30'])).code).toBe(0);
    expect((await run([file, '--date=2029-12-15'])).out).toEqual([
      'appPrincipal.idValidUntil: id_expires_too_soon: the document must stay valid for at least one month after the submission date',
    ]);
    expect((await run([file], createValidateCommand({ today: () => '2029-12-15' }))).code).toBe(1);
    expect((await run([file], createValidateCommand({ today: () => '2029-11-30' }))).code).toBe(0);
    expect(todayInChina(Date.UTC(2025, 5, 1, 16, 30))).toBe('2025-06-02');
  });

  it('exits 2 with one line for a file that is not JSON', async () => {
    const file = writeTemp('not-json.json', '{"serviceType": "app",\n  oops }');
    const { code, out, err } = await run([file]);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/not-json\.json is not valid JSON/);
    expect(err[0]).not.toContain('oops');
  });

  it('exits 2 with one line for an empty file, a missing file and a directory', async () => {
    for (const target of [writeTemp('empty.json', ''), join(dir, 'missing.json'), dir]) {
      const { code, out, err } = await run([target]);
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
    }
  });

  it('reads a file that starts with a byte-order mark', async () => {
    const file = writeTemp('bom.json', `\uFEFF${readFileSync(validFormPath('valid-app'), 'utf8')}`);
    expect((await run([file])).code).toBe(0);
  });

  it.each([
    [[]],
    [['a.json', 'b.json']],
    [['--verbose', 'a.json']],
    [['a.json', '--date']],
    [['a.json', '--date', '2025-02-30']],
    [['a.json', '--date=tomorrow']],
  ])('exits 2 with one usage line for %j', async (args) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('usage: icp validate');
  });

  it('prints usage and exits 0 for --help', async () => {
    expect(await run(['--help'])).toEqual({
      code: 0,
      out: ['usage: icp validate <file.json> [--json] [--date YYYY-MM-DD]'],
      err: [],
    });
  });
});
