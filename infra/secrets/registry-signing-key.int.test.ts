import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSecretsAsEnvironment, secretFile } from './local-secret';
import { loadRegistrySigningKeys } from './registry-signing-key';

describe('the registry signing key of the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-signing-key-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const publicX = (set: ReturnType<typeof loadRegistrySigningKeys>) =>
    set.keys.map((key) => key.publicKey.export({ format: 'jwk' }).x);

  it('is generated once into the data directory (mode 0600) and published as kid local', () => {
    const first = loadRegistrySigningKeys(dataDir, {});
    const again = loadRegistrySigningKeys(dataDir, {});

    expect(first.currentKid).toBe('local');
    expect(first.keys.map((key) => key.kid)).toEqual(['local']);
    expect(publicX(again)).toEqual(publicX(first));
    const file = secretFile(dataDir, 'registry-signing-key');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('moves to several hosts as ICP_REGISTRY_SIGNING_KEYS, still kid local, so signed answers keep verifying', () => {
    const env = localSecretsAsEnvironment(dataDir);
    const onCluster = loadRegistrySigningKeys(join(dataDir, 'elsewhere'), {
      ...env,
      DATABASE_URL: 'postgres://db/icp',
    });

    expect(env.ICP_REGISTRY_SIGNING_KEYS).toMatch(/^local=[0-9a-f]{64}$/);
    expect(onCluster.currentKid).toBe('local');
    expect(publicX(onCluster)).toEqual(publicX(loadRegistrySigningKeys(dataDir, {})));
  });
});
