import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../config/config';
import { loadOrCreateSecret, multiHostSetting } from './local-secret';

type Env = Readonly<Record<string, string | undefined>>;

export const SIGNING_KEYS_VARIABLE = 'ICP_REGISTRY_SIGNING_KEYS';
export const SIGNING_KEY_ID_VARIABLE = 'ICP_REGISTRY_SIGNING_KEY_ID';
/** The embedded default's key: `<dataDir>/secrets/registry-signing-key.key`, published as kid `local`. */
export const LOCAL_SIGNING_KEY_NAME = 'registry-signing-key';
export const LOCAL_SIGNING_KEY_ID = 'local';

const KEY_ENTRY = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=(.+)$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SEED_BYTES = 32;
/** DER of an Ed25519 PKCS#8 private key up to its 32-byte seed (RFC 8410 §7). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ENTRY_FORMAT = '<kid>=<Ed25519 key: 32-byte seed or PKCS#8 DER, hex or base64url>';
const FORMAT = `${ENTRY_FORMAT},…`;

export interface RegistrySigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Every key the registry publishes, and the one that signs new answers. */
export interface RegistrySigningKeySet {
  readonly keys: readonly RegistrySigningKey[];
  readonly currentKid: string;
}

/**
 * The registry's Ed25519 signing keys: `ICP_REGISTRY_SIGNING_KEYS=kid=key,kid2=key` with
 * `ICP_REGISTRY_SIGNING_KEY_ID` naming the one that signs (required when there are several); without
 * them, one key generated into `<dataDir>/secrets/registry-signing-key.key` (kid `local`), in the
 * embedded default only: a multi-host setting requires the variable. Errors name the variable and the
 * rule, never a key.
 */
export function loadRegistrySigningKeys(dataDir: string, env: Env = process.env): RegistrySigningKeySet {
  const fromEnv = parseRegistrySigningKeys(env);
  if (fromEnv) return fromEnv;
  const multiHost = multiHostSetting(env);
  if (multiHost)
    throw new ConfigError(`${SIGNING_KEYS_VARIABLE}: required when ${multiHost} is set (${FORMAT})`);
  const seed = loadOrCreateSecret(dataDir, LOCAL_SIGNING_KEY_NAME, {});
  return { keys: [signingKey(LOCAL_SIGNING_KEY_ID, seed)], currentKid: LOCAL_SIGNING_KEY_ID };
}

/** The keys the environment gives, `undefined` when `ICP_REGISTRY_SIGNING_KEYS` is unset or blank. */
export function parseRegistrySigningKeys(env: Env): RegistrySigningKeySet | undefined {
  const raw = env[SIGNING_KEYS_VARIABLE]?.trim();
  if (!raw) return undefined;
  const keys = raw.split(',').map((entry, index) => {
    const match = KEY_ENTRY.exec(entry.trim());
    const seed = match && seedOf(match[2] as string);
    if (!match || !seed)
      throw new ConfigError(`${SIGNING_KEYS_VARIABLE}: entry ${index + 1} must be ${ENTRY_FORMAT}`);
    return signingKey(match[1] as string, seed);
  });
  if (new Set(keys.map((key) => key.kid)).size !== keys.length)
    throw new ConfigError(`${SIGNING_KEYS_VARIABLE}: key ids must be distinct`);
  return { keys, currentKid: currentKidOf(keys, env[SIGNING_KEY_ID_VARIABLE]?.trim()) };
}

function currentKidOf(keys: readonly RegistrySigningKey[], chosen: string | undefined): string {
  if (!chosen) {
    if (keys.length > 1)
      throw new ConfigError(
        `${SIGNING_KEY_ID_VARIABLE}: the kid that signs, required when ${SIGNING_KEYS_VARIABLE} holds several keys`,
      );
    return (keys[0] as RegistrySigningKey).kid;
  }
  if (!keys.some((key) => key.kid === chosen))
    throw new ConfigError(
      `${SIGNING_KEY_ID_VARIABLE}: "${chosen}" is not one of the ids in ${SIGNING_KEYS_VARIABLE}`,
    );
  return chosen;
}

/** The 32-byte seed a key text holds, or `undefined` when it holds none. */
function seedOf(text: string): Buffer | undefined {
  const bytes = HEX.test(text)
    ? Buffer.from(text, 'hex')
    : BASE64URL.test(text)
      ? Buffer.from(text, 'base64url')
      : undefined;
  if (bytes?.length === SEED_BYTES) return bytes;
  if (
    bytes?.length === PKCS8_ED25519_PREFIX.length + SEED_BYTES &&
    bytes.subarray(0, PKCS8_ED25519_PREFIX.length).equals(PKCS8_ED25519_PREFIX)
  )
    return bytes.subarray(PKCS8_ED25519_PREFIX.length);
  return undefined;
}

function signingKey(kid: string, seed: Buffer): RegistrySigningKey {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}
