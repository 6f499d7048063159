import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { createTokenVerifier } from '../../../infra/auth/token-verifier';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../../infra/read-models/sqlite/sqlite-read-model-store';
import { loadRegistrySigningKeys } from '../../../infra/secrets/registry-signing-key';
import { AuthModule } from '../../../services/auth/auth.module';
import { TOKEN_VERIFIER } from '../../../services/auth/auth.tokens';
import { startProjector } from '../../../services/projections/projector';
import { REGISTRY_SIGNING_KEYS } from '../../../services/signing/signing.tokens';
import { READ_MODELS } from '../../../services/tokens';
import { VerificationModule } from '../../../services/verification/verification.module';
import { runCommand } from '../../../test/cli/run-command';
import { type HttpTestApp, startHttpTestApp } from '../../../test/support/http/http-test-app';
import { seedVerificationRegistry, VERIFY_SUBJECT } from '../../../test/support/verification-registry';
import { openReadModels } from '../../read-models';
import { verifyCommand } from './verify.command';

const MD5 = 'a'.repeat(32);

/** `icp verify` against a real API (the verification routes over real HTTP) on real SQLite read models. */
describe('icp verify: a store checks its catalogue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-verify-cli-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  let storeToken = '';
  let platformToken = '';

  beforeAll(async () => {
    log = new SqliteEventLog(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dir, loadChineseCalendar());
    await seedVerificationRegistry(log);
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();
    const verifier = createTokenVerifier({ dataDir: dir });
    storeToken = await verifier.issue({ sub: 'appgallery', role: 'store', org: 'huawei-appgallery' });
    platformToken = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: READ_MODELS, useValue: store },
        { provide: REGISTRY_SIGNING_KEYS, useValue: loadRegistrySigningKeys(dir, {}) },
      ],
      exports: [TOKEN_VERIFIER, READ_MODELS, REGISTRY_SIGNING_KEYS],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({ imports: [TestInfraModule, AuthModule, VerificationModule] });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function catalogue(name: string, lines: readonly string[]): string {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }
  const run = (file: string, ...extra: string[]) =>
    runCommand(verifyCommand, [file, '--api', server.url(''), '--token', storeToken, ...extra]);

  const MIXED = [
    JSON.stringify({ packageName: 'com.example.maps', signatureMd5: MD5 }),
    JSON.stringify({ packageName: 'com.example.never' }),
    '',
    JSON.stringify({ packageName: 'com.example.weather' }),
    JSON.stringify({ packageName: 'com.example.album' }),
    JSON.stringify({ packageName: 'com.example.maps', signatureMd5: 'f'.repeat(32) }),
    JSON.stringify({ domain: 'maps.example.com' }),
  ];

  it('prints counts by status and every item not registered, and exits 1', async () => {
    const result = await run(catalogue('mixed.jsonl', MIXED));
    expect(result.err).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      '6 items checked',
      '  registered           2',
      '  not_registered       1',
      '  identifier_mismatch  1',
      '  cancelled            1',
      '  access_withdrawn     1',
      'not registered:',
      '  line 2: not_registered: packageName=com.example.never',
      `  line 4: cancelled: packageName=com.example.weather (${VERIFY_SUBJECT}-5A 示例天气)`,
      `  line 5: access_withdrawn: packageName=com.example.album (${VERIFY_SUBJECT}-4A 示例相册)`,
      `  line 6: identifier_mismatch: packageName=com.example.maps signatureMd5=${'f'.repeat(32)} (${VERIFY_SUBJECT}-1A 示例地图)`,
    ]);
  });

  it('prints machine-readable results with --json', async () => {
    const result = await run(catalogue('mixed-json.jsonl', MIXED), '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out.join('\n')) as {
      counts: Record<string, number>;
      items: Array<{ line: number; status: string }>;
    };
    expect(report.counts).toEqual({
      registered: 2,
      not_registered: 1,
      identifier_mismatch: 1,
      cancelled: 1,
      access_withdrawn: 1,
    });
    expect(report.items.map((item) => [item.line, item.status])).toEqual([
      [1, 'registered'],
      [2, 'not_registered'],
      [4, 'cancelled'],
      [5, 'access_withdrawn'],
      [6, 'identifier_mismatch'],
      [7, 'registered'],
    ]);
  });

  it('reads a CSV catalogue with a header, in several batches, and exits 0 when every item is registered', async () => {
    const rows = Array.from({ length: 2_500 }, (_, index) =>
      index % 2 === 0 ? `com.example.maps,${MD5},` : ',,"maps.example.com"',
    );
    const result = await run(catalogue('all.csv', ['packageName,signatureMd5,domain', ...rows]), '--json');
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out.join('\n')) as { items: Array<{ line: number; status: string }> };
    expect(report.items).toHaveLength(2_500);
    expect(report.items.every((item, index) => item.line === index + 2 && item.status === 'registered')).toBe(
      true,
    );
  });

  it('splits a catalogue of long items into requests the API’s body limit accepts', async () => {
    const long = (index: number) =>
      JSON.stringify({ packageName: `com.${String(index).padStart(250, 'x')}`, signatureMd5: MD5 });
    const result = await run(
      catalogue(
        'long.jsonl',
        Array.from({ length: 1_000 }, (_, i) => long(i)),
      ),
      '--json',
    );
    expect(result.err).toEqual([]);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.out.join('\n')) as { counts: object }).counts).toMatchObject({
      not_registered: 1_000,
    });
  });

  it.each([
    [
      'a malformed signature',
      'bad.jsonl',
      [MIXED[0] ?? '', JSON.stringify({ packageName: 'a.b', signatureMd5: 'xyz' })],
      'icp verify: line 2: signatureMd5: signatureMd5 must be 32 hexadecimal digits',
    ],
    ['a line that is not JSON', 'garbage.jsonl', ['{nope'], 'icp verify: line 1: not a JSON object'],
    [
      'two identifiers',
      'two.jsonl',
      [JSON.stringify({ packageName: 'a.b', domain: 'a.cn' })],
      'icp verify: line 1: domain: give exactly one identifier: packageName and domain are both given',
    ],
    [
      'an unknown column',
      'unknown.csv',
      ['apkName', 'com.example.maps'],
      'icp verify: line 1: column "apkName" is not one of packageName, signatureMd5, bundleId, signatureSha1, miniProgramId, hostApp, quickAppPackage, domain',
    ],
  ])('exits 2 with one line naming the line and field for %s', async (_what, name, lines, message) => {
    const result = await run(catalogue(name, lines));
    expect(result).toEqual({ code: 2, out: [], err: [message] });
  });

  it('exits 2 with one line without a token, or when the API refuses the token', async () => {
    const file = catalogue('one.jsonl', [MIXED[0] ?? '']);
    const saved = process.env.ICP_TOKEN;
    delete process.env.ICP_TOKEN;
    try {
      const missing = await runCommand(verifyCommand, [file, '--api', server.url('')]);
      expect(missing.code).toBe(2);
      expect(missing.err).toEqual([expect.stringMatching(/^icp verify: give --token or ICP_TOKEN/)]);
    } finally {
      if (saved !== undefined) process.env.ICP_TOKEN = saved;
    }
    const refused = await runCommand(verifyCommand, [
      file,
      '--api',
      server.url(''),
      '--token',
      platformToken,
    ]);
    expect(refused).toEqual({
      code: 2,
      out: [],
      err: [expect.stringMatching(/^icp verify: the API answered 403: /)],
    });
  });
});
