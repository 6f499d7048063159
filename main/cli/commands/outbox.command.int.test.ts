import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox } from '../../../infra/notify/outbox';
import { runCommand } from '../../../test/cli/run-command';
import { outboxCommand } from './outbox.command';

const run = (args: readonly string[]) => runCommand(outboxCommand, args);

describe('icp outbox', () => {
  const savedDataDir = process.env.ICP_DATA_DIR;
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-cli-'));
    process.env.ICP_DATA_DIR = dataDir;
  });

  afterEach(() => {
    if (savedDataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = savedDataDir;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function sendSome(): Promise<void> {
    let clock = Date.parse('2026-01-05T09:00:00.000Z');
    const outbox = openOutbox(dataDir, () => new Date((clock += 60_000)));
    try {
      await outbox.sms.send({
        to: '13800138000',
        sender: '12381',
        text: '【工信部】您的验证码 048213，24小时内有效',
        idempotencyKey: 'sms-code:f1:1',
      });
      await outbox.email.send({
        to: 'ops@example.cn',
        subject: 'ICP filing approved',
        text: 'Number: 粤ICP备2026000123号-1A\nThanks',
        idempotencyKey: 'mail:f1:approved',
      });
      await outbox.sms.send({
        to: '13800138000',
        sender: '12381',
        text: 'Filing approved:\n粤ICP备2026000123号-1A',
        idempotencyKey: 'sms:f1:approved',
      });
    } finally {
      outbox.close();
    }
  }

  it('describes itself for the dispatcher', () => {
    expect(outboxCommand.name).toBe('outbox');
    expect(outboxCommand.usage).toBe('icp outbox [--to MOBILE|EMAIL] [--limit N] [--json]');
  });

  it('says the outbox is empty, without creating it, when nothing was sent', async () => {
    expect(await run([])).toEqual({ code: 0, out: ['outbox is empty'], err: [] });
    expect(existsSync(join(dataDir, 'outbox.sqlite'))).toBe(false);
  });

  it('prints one line per message, newest first: created_at  channel  to  text or subject', async () => {
    await sendSome();

    expect(await run([])).toEqual({
      code: 0,
      out: [
        '2026-01-05T09:03:00.000Z  sms    13800138000  Filing approved: 粤ICP备2026000123号-1A',
        '2026-01-05T09:02:00.000Z  email  ops@example.cn  ICP filing approved',
        '2026-01-05T09:01:00.000Z  sms    13800138000  【工信部】您的验证码 048213，24小时内有效',
      ],
      err: [],
    });
  });

  it('filters by recipient with --to and caps the count with --limit', async () => {
    await sendSome();

    expect((await run(['--to', 'ops@example.cn'])).out).toEqual([
      '2026-01-05T09:02:00.000Z  email  ops@example.cn  ICP filing approved',
    ]);
    expect((await run(['--to=13800138000', '--limit=1'])).out).toEqual([
      '2026-01-05T09:03:00.000Z  sms    13800138000  Filing approved: 粤ICP备2026000123号-1A',
    ]);
    expect((await run(['--limit', '2'])).out).toHaveLength(2);
    expect(await run(['--to', '13900000000'])).toEqual({
      code: 0,
      out: ['no messages to 13900000000'],
      err: [],
    });
  });

  it('prints the messages as a JSON array with --json', async () => {
    await sendSome();

    const { code, out } = await run(['--json', '--limit', '2']);
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual([
      {
        channel: 'sms',
        to: '13800138000',
        sender: '12381',
        text: 'Filing approved:\n粤ICP备2026000123号-1A',
        idempotencyKey: 'sms:f1:approved',
        createdAt: '2026-01-05T09:03:00.000Z',
      },
      {
        channel: 'email',
        to: 'ops@example.cn',
        subject: 'ICP filing approved',
        text: 'Number: 粤ICP备2026000123号-1A\nThanks',
        idempotencyKey: 'mail:f1:approved',
        createdAt: '2026-01-05T09:02:00.000Z',
      },
    ]);
    expect(JSON.parse((await run(['--json', '--to', 'nobody'])).out.join('\n'))).toEqual([]);
  });

  it.each([
    [['--limit', '0']],
    [['--limit', 'ten']],
    [['--limit=-1']],
    [['--limit']],
    [['--to']],
    [['--to', '--json']],
    [['--to=']],
    [['--verbose']],
    [['13800138000']],
  ])('exits 2 with one usage line for %j', async (args) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^icp outbox: .+ \(usage: icp outbox /);
  });

  it('prints usage and exits 0 for --help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, out: [`usage: ${outboxCommand.usage}`], err: [] });
  });
});
