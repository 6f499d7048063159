import { ConfigError } from './config';
import { requireSecrets, secretsNeededBy } from './secrets-config';
import { multiHostSetting } from '../secrets/local-secret';

const KEY = 'ab'.repeat(32);
const ALL = {
  ICP_SECRET_JWT: KEY,
  ICP_SECRET_SMS_ANSWER: 'cd'.repeat(32),
  ICP_SECRET_SMS_CODE_PEPPER: 'ef'.repeat(32),
  TEMPORAL_PAYLOAD_KEYS: `2026-01=${'01'.repeat(32)},local=${'02'.repeat(32)}`,
  ICP_REGISTRY_SIGNING_KEYS: `2026-12=${'03'.repeat(32)}`,
};
const CLUSTER = { TEMPORAL_ADDRESS: 'temporal.prod:7233' };
const POSTGRES = { DATABASE_URL: 'postgres://icp@db/icp' };

function failure(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('multiHostSetting', () => {
  it('is TEMPORAL_ADDRESS or DATABASE_URL when set, else undefined (the embedded default)', () => {
    expect(multiHostSetting({})).toBeUndefined();
    expect(multiHostSetting({ TEMPORAL_ADDRESS: ' ', DATABASE_URL: '' })).toBeUndefined();
    expect(multiHostSetting(CLUSTER)).toBe('TEMPORAL_ADDRESS');
    expect(multiHostSetting(POSTGRES)).toBe('DATABASE_URL');
  });
});

describe('secretsNeededBy', () => {
  it('gives each process the secrets it reads', () => {
    expect(secretsNeededBy('api', {})).toEqual([
      'ICP_SECRET_JWT',
      'ICP_SECRET_SMS_ANSWER',
      'TEMPORAL_PAYLOAD_KEYS',
      'ICP_REGISTRY_SIGNING_KEYS',
    ]);
    expect(secretsNeededBy('worker', {})).toEqual([
      'ICP_SECRET_SMS_ANSWER',
      'ICP_SECRET_SMS_CODE_PEPPER',
      'TEMPORAL_PAYLOAD_KEYS',
    ]);
    expect(secretsNeededBy('start', {})).toEqual([
      'ICP_SECRET_JWT',
      'ICP_SECRET_SMS_ANSWER',
      'TEMPORAL_PAYLOAD_KEYS',
      'ICP_REGISTRY_SIGNING_KEYS',
      'ICP_SECRET_SMS_CODE_PEPPER',
    ]);
    expect(secretsNeededBy('projector', {})).toEqual([]);
    expect(secretsNeededBy('token', {})).toEqual(['ICP_SECRET_JWT']);
  });

  it('needs no JWT secret when an identity provider issues the tokens', () => {
    const env = { ICP_JWKS_URL: 'https://idp.example/jwks' };
    expect(secretsNeededBy('api', env)).toEqual([
      'ICP_SECRET_SMS_ANSWER',
      'TEMPORAL_PAYLOAD_KEYS',
      'ICP_REGISTRY_SIGNING_KEYS',
    ]);
    expect(secretsNeededBy('token', env)).toEqual([]);
  });
});

describe('requireSecrets', () => {
  it('asks nothing of the embedded default: missing secrets are generated into the data directory', () => {
    expect(() => requireSecrets('start', {})).not.toThrow();
  });

  it.each([
    ['TEMPORAL_ADDRESS', CLUSTER],
    ['DATABASE_URL', POSTGRES],
  ])('with %s set, names every missing secret at once, on one line', (setting, env) => {
    const message = failure(() => requireSecrets('start', env));

    expect(message).toBe(
      `secrets: missing ICP_SECRET_JWT, ICP_SECRET_SMS_ANSWER, TEMPORAL_PAYLOAD_KEYS, ICP_REGISTRY_SIGNING_KEYS, ICP_SECRET_SMS_CODE_PEPPER (secrets come from the environment when ${setting} is set)`,
    );
    expect(message).not.toContain('\n');
  });

  it('asks each process only for its own secrets', () => {
    expect(() => requireSecrets('projector', CLUSTER)).not.toThrow();
    expect(failure(() => requireSecrets('worker', { ...CLUSTER, ICP_SECRET_SMS_ANSWER: KEY }))).toMatch(
      /^secrets: missing ICP_SECRET_SMS_CODE_PEPPER, TEMPORAL_PAYLOAD_KEYS \(/,
    );
    expect(() =>
      requireSecrets('api', { ...POSTGRES, ...ALL, ICP_SECRET_SMS_CODE_PEPPER: '' }),
    ).not.toThrow();
  });

  it('accepts every secret set and well formed, with several payload keys and a current one', () => {
    expect(() => requireSecrets('start', { ...CLUSTER, ...POSTGRES, ...ALL })).not.toThrow();
    expect(() =>
      requireSecrets('start', { ...CLUSTER, ...ALL, TEMPORAL_PAYLOAD_KEY_ID: 'local' }),
    ).not.toThrow();
  });

  it('names malformed secrets beside missing ones, without their values', () => {
    const env = {
      ...CLUSTER,
      ICP_SECRET_JWT: 'short',
      ICP_SECRET_SMS_ANSWER: 'zz'.repeat(32),
      TEMPORAL_PAYLOAD_KEYS: `k1=${KEY},bad`,
      ICP_REGISTRY_SIGNING_KEYS: `k1=${KEY}`,
    };
    const message = failure(() => requireSecrets('start', env));

    expect(message).toBe(
      'secrets: missing ICP_SECRET_SMS_CODE_PEPPER (secrets come from the environment when TEMPORAL_ADDRESS is set); ' +
        'malformed ICP_SECRET_JWT (must be 64 hex characters), ICP_SECRET_SMS_ANSWER (must be 64 hex characters), ' +
        'TEMPORAL_PAYLOAD_KEYS (entry 2 must be <id>=<64 hex characters>)',
    );
    for (const value of ['short', 'zz'.repeat(32), KEY]) expect(message).not.toContain(value);
  });

  it('refuses a TEMPORAL_PAYLOAD_KEY_ID that names no key, and repeated key ids', () => {
    expect(failure(() => requireSecrets('worker', { ...ALL, TEMPORAL_PAYLOAD_KEY_ID: 'gone' }))).toBe(
      'secrets: malformed TEMPORAL_PAYLOAD_KEY_ID ("gone" is not one of the ids in TEMPORAL_PAYLOAD_KEYS)',
    );
    expect(failure(() => requireSecrets('worker', { TEMPORAL_PAYLOAD_KEYS: `a=${KEY},a=${KEY}` }))).toBe(
      'secrets: malformed TEMPORAL_PAYLOAD_KEYS (key ids must be distinct)',
    );
  });

  it('names a malformed registry signing key list, or one that leaves the signing key unnamed', () => {
    expect(
      failure(() => requireSecrets('api', { ...ALL, ICP_REGISTRY_SIGNING_KEYS: `k1=${KEY},k2=short` })),
    ).toBe(
      'secrets: malformed ICP_REGISTRY_SIGNING_KEYS (entry 2 must be <kid>=<Ed25519 key: 32-byte seed or PKCS#8 DER, hex or base64url>)',
    );
    expect(
      failure(() => requireSecrets('api', { ...ALL, ICP_REGISTRY_SIGNING_KEYS: `a=${KEY},b=${KEY}` })),
    ).toBe(
      'secrets: malformed ICP_REGISTRY_SIGNING_KEY_ID (the kid that signs, required when ICP_REGISTRY_SIGNING_KEYS holds several keys)',
    );
    expect(() =>
      requireSecrets('worker', { ...CLUSTER, ...ALL, ICP_REGISTRY_SIGNING_KEYS: '' }),
    ).not.toThrow();
  });

  it('checks a secret that is set even in the embedded default', () => {
    expect(failure(() => requireSecrets('token', { ICP_SECRET_JWT: 'nope' }))).toBe(
      'secrets: malformed ICP_SECRET_JWT (must be 64 hex characters)',
    );
  });
});
