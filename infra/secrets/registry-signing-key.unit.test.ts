import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ConfigError } from '../config/config';
import { loadRegistrySigningKeys, parseRegistrySigningKeys } from './registry-signing-key';

const pair = generateKeyPairSync('ed25519');
const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
const seed = pkcs8.subarray(-32);
const x = (key: KeyObject) => key.export({ format: 'jwk' }).x;

function failure(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('ICP_REGISTRY_SIGNING_KEYS', () => {
  it.each([
    ['a hex seed', seed.toString('hex')],
    ['a base64url seed', seed.toString('base64url')],
    ['hex PKCS#8 DER', pkcs8.toString('hex')],
    ['base64url PKCS#8 DER', pkcs8.toString('base64url')],
  ])('reads %s as the same Ed25519 key', (_form, text) => {
    const set = parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: `2026-12=${text}` });

    expect(set?.currentKid).toBe('2026-12');
    expect(set?.keys.map((key) => key.kid)).toEqual(['2026-12']);
    expect(x(set!.keys[0]!.publicKey)).toBe(x(pair.publicKey));
    expect(x(set!.keys[0]!.privateKey)).toBe(x(pair.publicKey));
  });

  it('publishes several keys; ICP_REGISTRY_SIGNING_KEY_ID names the one that signs', () => {
    const other = 'ab'.repeat(32);
    const set = parseRegistrySigningKeys({
      ICP_REGISTRY_SIGNING_KEYS: `old=${other}, new=${seed.toString('hex')}`,
      ICP_REGISTRY_SIGNING_KEY_ID: 'new',
    });

    expect(set?.keys.map((key) => key.kid)).toEqual(['old', 'new']);
    expect(set?.currentKid).toBe('new');
  });

  it('is absent when unset or blank (the embedded default generates one)', () => {
    expect(parseRegistrySigningKeys({})).toBeUndefined();
    expect(parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: ' ' })).toBeUndefined();
  });

  it.each([
    [`k1=${seed.toString('hex')},k2=zz`, 'ICP_REGISTRY_SIGNING_KEYS: entry 2 must be <kid>='],
    [`k1=${seed.toString('hex').slice(2)}`, 'ICP_REGISTRY_SIGNING_KEYS: entry 1 must be <kid>='],
    [seed.toString('hex'), 'ICP_REGISTRY_SIGNING_KEYS: entry 1 must be <kid>='],
    [
      `k1=${seed.toString('hex')},k1=${'ab'.repeat(32)}`,
      'ICP_REGISTRY_SIGNING_KEYS: key ids must be distinct',
    ],
    [
      `k1=${seed.toString('hex')},k2=${'ab'.repeat(32)}`,
      'ICP_REGISTRY_SIGNING_KEY_ID: the kid that signs, required when ICP_REGISTRY_SIGNING_KEYS holds several keys',
    ],
  ])('refuses %#, naming the variable and the rule but no key', (keys, message) => {
    const text = failure(() => parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: keys }));

    expect(text.startsWith(message)).toBe(true);
    expect(text).not.toContain(seed.toString('hex').slice(2, 20));
    expect(text).not.toContain('\n');
  });

  it('refuses a current kid that names no key', () => {
    expect(
      failure(() =>
        parseRegistrySigningKeys({
          ICP_REGISTRY_SIGNING_KEYS: `k1=${seed.toString('hex')}`,
          ICP_REGISTRY_SIGNING_KEY_ID: 'gone',
        }),
      ),
    ).toBe('ICP_REGISTRY_SIGNING_KEY_ID: "gone" is not one of the ids in ICP_REGISTRY_SIGNING_KEYS');
  });

  it.each(['TEMPORAL_ADDRESS', 'DATABASE_URL'])('is required when %s is set', (setting) => {
    expect(failure(() => loadRegistrySigningKeys('/nonexistent', { [setting]: 'somewhere' }))).toBe(
      `ICP_REGISTRY_SIGNING_KEYS: required when ${setting} is set ` +
        '(<kid>=<Ed25519 key: 32-byte seed or PKCS#8 DER, hex or base64url>,…)',
    );
  });
});
