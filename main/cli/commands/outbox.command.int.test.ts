import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox } from '../../../infra/notify/outbox';
import { PgOutbox } from '../../../infra/postgres/pg-outbox';
import { endsPool, openPgPool } from '../../../infra/postgres/pg-pool';
import { runCommand } from '../../../test/cli/run-command';
import { type PostgresCluster, startPostgresCluster } from '../../../test/support/postgres-cluster';
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
      await outbox.close();
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

describe('icp outbox with DATABASE_URL', () => {
  const saved = { dataDir: process.env.ICP_DATA_DIR, databaseUrl: process.env.DATABASE_URL };
  let cluster: PostgresCluster;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-outbox-cli-pg-'));
    process.env.ICP_DATA_DIR = dataDir;
  });
  afterEach(() => {
    for (const [name, value] of [
      ['ICP_DATA_DIR', saved.dataDir],
      ['DATABASE_URL', saved.databaseUrl],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the PostgreSQL outbox, where every worker host sends, and not the local file', async () => {
    const url = await cluster.newDatabase();
    process.env.DATABASE_URL = url;
    let clock = Date.parse('2026-01-05T09:00:00.000Z');
    const hosts = await Promise.all(
      [1, 2].map(() => {
        const pool = openPgPool(url, { max: 2 });
        return PgOutbox.open(pool, { ...endsPool(pool), now: () => new Date((clock += 60_000)) });
      }),
    );
    const local = openOutbox(dataDir);
    try {
      await hosts[0]!.sms.send({
        to: '13800138000',
        sender: '12381',
        text: 'code 048213',
        idempotencyKey: 'a',
      });
      await hosts[1]!.sms.send({
        to: '13800138000',
        sender: '12381',
        text: 'code 731904',
        idempotencyKey: 'b',
      });
      await local.sms.send({ to: '13800138000', sender: '12381', text: 'local only', idempotencyKey: 'c' });
    } finally {
      await Promise.all([...hosts, local].map((outbox) => outbox.close()));
    }

    const { code, out, err } = await run(['--json', '--to', '13800138000']);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(JSON.parse(out.join('\n'))).toEqual([
      {
        channel: 'sms',
        to: '13800138000',
        sender: '12381',
        text: 'code 731904',
        idempotencyKey: 'b',
        createdAt: '2026-01-05T09:02:00.000Z',
      },
      {
        channel: 'sms',
        to: '13800138000',
        sender: '12381',
        text: 'code 048213',
        idempotencyKey: 'a',
        createdAt: '2026-01-05T09:01:00.000Z',
      },
    ]);
    expect((await run(['--limit', '1'])).out).toEqual([
      '2026-01-05T09:02:00.000Z  sms    13800138000  code 731904',
    ]);
  });
});
