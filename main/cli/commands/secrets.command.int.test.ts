import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv, runIcp } from '../../../test/system/icp-process';

/**
 * On several hosts (here: DATABASE_URL set) every secret comes from the environment. The real CLI
 * refuses to start a process whose secrets are missing, before it connects to anything (nothing
 * listens on port 1), with one line naming each missing variable and no stack trace.
 */
describe('start-up without the secrets of a multi-host setting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-secrets-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const KEY = 'ab'.repeat(32);
  const env = (extra: Record<string, string>) =>
    isolatedEnv({ ICP_DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:1/x', PORT: '1', ...extra });
  const refusal = (names: string) =>
    `secrets: missing ${names} (secrets come from the environment when DATABASE_URL is set)`;

  it.each([
    [
      'api',
      { ICP_SECRET_SMS_ANSWER: KEY },
      'ICP_SECRET_JWT, TEMPORAL_PAYLOAD_KEYS, ICP_REGISTRY_SIGNING_KEYS',
    ],
    [
      'api',
      { ICP_SECRET_JWT: KEY, ICP_SECRET_SMS_ANSWER: KEY, TEMPORAL_PAYLOAD_KEYS: `k1=${KEY}` },
      'ICP_REGISTRY_SIGNING_KEYS',
    ],
    ['worker', { TEMPORAL_PAYLOAD_KEYS: `k1=${KEY}` }, 'ICP_SECRET_SMS_ANSWER, ICP_SECRET_SMS_CODE_PEPPER'],
    [
      'start',
      { ICP_SECRET_JWT: KEY, ICP_SECRET_SMS_CODE_PEPPER: KEY },
      'ICP_SECRET_SMS_ANSWER, TEMPORAL_PAYLOAD_KEYS, ICP_REGISTRY_SIGNING_KEYS',
    ],
    ['token', {}, 'ICP_SECRET_JWT'],
  ])('icp %s exits non-zero naming the missing variables on one line', async (command, secrets, names) => {
    const args = command === 'token' ? ['token', '--role', 'auditor'] : [command];
    const { code, stdout, stderr } = await runIcp(args, env(secrets));

    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `icp ${command}: ${refusal(names)}\n`,
    });
    expect(stderr).not.toContain(KEY);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('icp api names a malformed secret without printing it', async () => {
    const { code, stderr } = await runIcp(
      ['api'],
      env({
        ICP_SECRET_JWT: 'not-a-key',
        ICP_SECRET_SMS_ANSWER: KEY,
        TEMPORAL_PAYLOAD_KEYS: `k1=${KEY}`,
        ICP_REGISTRY_SIGNING_KEYS: `k1=${KEY}`,
      }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe('icp api: secrets: malformed ICP_SECRET_JWT (must be 64 hex characters)\n');
  });

  it('icp api names a malformed registry signing key without printing it', async () => {
    const signingKey = 'cd'.repeat(31);
    const { code, stderr } = await runIcp(
      ['api'],
      env({
        ICP_SECRET_JWT: KEY,
        ICP_SECRET_SMS_ANSWER: KEY,
        TEMPORAL_PAYLOAD_KEYS: `k1=${KEY}`,
        ICP_REGISTRY_SIGNING_KEYS: `2026-12=${signingKey}`,
      }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      'icp api: secrets: malformed ICP_REGISTRY_SIGNING_KEYS ' +
        '(entry 1 must be <kid>=<Ed25519 key: 32-byte seed or PKCS#8 DER, hex or base64url>)\n',
    );
    expect(stderr).not.toContain(signingKey);
  });

  it('icp api refuses an ICP_TRUST_PROXY it cannot read, naming it', async () => {
    const { code, stderr } = await runIcp(['api'], env({ ICP_TRUST_PROXY: 'true' }));

    expect(code).toBe(2);
    expect(stderr).toMatch(/^icp api: ICP_TRUST_PROXY: entry 1 must be an IP address[^\n]*\n$/);
  });
});
