import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { createTokenVerifier } from '../../../infra/auth/token-verifier';
import { runCommand } from '../../../test/cli/run-command';
import { tokenCommand } from './token.command';

const run = (args: readonly string[]) => runCommand(tokenCommand, args);

describe('icp token', () => {
  const savedDataDir = process.env.ICP_DATA_DIR;
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-token-cli-'));
    process.env.ICP_DATA_DIR = dataDir;
  });

  afterEach(() => {
    if (savedDataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = savedDataDir;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function printedToken(args: readonly string[]): Promise<string> {
    const result = await run(args);
    expect(result).toMatchObject({ code: 0, err: [] });
    expect(result.out).toHaveLength(1);
    return result.out[0] ?? '';
  }

  it('describes itself for the dispatcher', () => {
    expect(tokenCommand.name).toBe('token');
    expect(tokenCommand.usage).toMatch(/^icp token --role platform\|bureau\|auditor\|admin/);
  });

  it.each([
    [
      ['--role', 'platform', '--platform', 'wechat'],
      { role: 'platform', id: 'platform:wechat', platformId: 'wechat' },
    ],
    [['--role=bureau', '--province=440000'], { role: 'bureau', id: 'bureau:440000', province: '440000' }],
    [['--role', 'auditor'], { role: 'auditor', id: 'auditor' }],
    [['--role', 'admin', '--sub', 'ops-alice'], { role: 'admin', id: 'ops-alice' }],
    [['--role', 'isp', '--isp-name', '阿里云'], { role: 'isp', id: 'isp:阿里云', ispName: '阿里云' }],
    [
      ['--role', 'store', '--org', 'huawei-appgallery'],
      { role: 'store', id: 'store:huawei-appgallery', org: 'huawei-appgallery' },
    ],
    [
      ['--role=device_maker', '--org=xiaomi'],
      { role: 'device_maker', id: 'device_maker:xiaomi', org: 'xiaomi' },
    ],
  ])('prints a token for %j that a system on the same data directory accepts', async (args, actor) => {
    const token = await printedToken(args);
    await expect(createTokenVerifier({ dataDir }).verify(token)).resolves.toEqual(actor);
  });

  it('lives an hour by default, or --ttl seconds', async () => {
    const lifetime = (token: string): number => {
      const { exp, iat } = decodeJwt(token);
      return (exp ?? 0) - (iat ?? 0);
    };
    expect(lifetime(await printedToken(['--role', 'auditor']))).toBe(3600);
    expect(lifetime(await printedToken(['--role', 'auditor', '--ttl', '60']))).toBe(60);
  });

  it('prints usage for --help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, out: [`usage: ${tokenCommand.usage}`], err: [] });
  });

  it.each([
    [[], '--role must be one of platform, bureau, auditor, admin, isp, store, device_maker'],
    [
      ['--role', 'applicant'],
      '--role must be one of platform, bureau, auditor, admin, isp, store, device_maker',
    ],
    [['--role', 'store'], '--org must be 1-64 letters, digits, ".", "_" or "-" (such as huawei-appgallery)'],
    [['--role', 'device_maker', '--org', 'two words'], '--org must be 1-64 letters'],
    [
      ['--role', 'isp', '--isp-name', '阿里云', '--org', 'x'],
      '--org applies only to --role store or device_maker',
    ],
    [['--role', 'isp'], "--isp-name must be the ISP's name as filings write it"],
    [['--role', 'isp', '--isp-name', 'x'.repeat(65)], "--isp-name must be the ISP's name"],
    [['--role', 'auditor', '--isp-name', '阿里云'], '--isp-name applies only to --role isp'],
    [['--role'], '--role needs a value'],
    [['--role', 'platform'], '--platform must be 1-64 letters, digits, ".", "_" or "-" (such as wechat)'],
    [['--role', 'platform', '--platform', 'we chat'], '--platform must be 1-64 letters'],
    [['--role', 'bureau'], '--province must be a GB/T 2260 province code such as 440000'],
    [
      ['--role', 'bureau', '--province', '449900'],
      '--province must be a GB/T 2260 province code such as 440000',
    ],
    [['--role', 'auditor', '--province', '440000'], '--province applies only to --role bureau'],
    [
      ['--role', 'bureau', '--province', '440000', '--platform', 'x'],
      '--platform applies only to --role platform',
    ],
    [
      ['--role', 'auditor', '--ttl', '0'],
      '--ttl must be a whole number of seconds from 1 to 2592000 (30 days)',
    ],
    [['--role', 'auditor', '--ttl', '1.5'], '--ttl must be a whole number of seconds'],
    [['--role', 'auditor', '--sub', ' '], '--sub must be a non-empty name'],
    [['--role', 'auditor', '--role', 'admin'], '--role is given twice'],
    [['--role', 'auditor', '--json'], 'unknown option --json'],
    [['--role', 'auditor', 'extra'], 'unexpected argument extra'],
  ])('exits 2 for %j naming the option and rule', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^icp token: /);
    expect(result.err[0]).toContain(message);
  });
});
