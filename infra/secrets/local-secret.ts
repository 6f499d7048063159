import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/config';

type Env = Readonly<Record<string, string | undefined>>;

const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-f]{64}$/i;
const SECRET_NAME = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/**
 * The setting that makes this a deployment of several hosts (`TEMPORAL_ADDRESS` or `DATABASE_URL`), or
 * `undefined` for the embedded default. With one, no secret is generated into a data directory: a
 * key made on one host would be unknown to the others.
 */
export function multiHostSetting(env: Env = process.env): 'TEMPORAL_ADDRESS' | 'DATABASE_URL' | undefined {
  if (env.TEMPORAL_ADDRESS?.trim()) return 'TEMPORAL_ADDRESS';
  if (env.DATABASE_URL?.trim()) return 'DATABASE_URL';
  return undefined;
}

/** `sms-code-pepper` → `ICP_SECRET_SMS_CODE_PEPPER`. */
export function secretEnvVar(name: string): string {
  return `ICP_SECRET_${name.toUpperCase().replace(/-/g, '_')}`;
}

export function secretFile(dataDir: string, name: string): string {
  return join(dataDir, 'secrets', `${name}.key`);
}

/**
 * A 32-byte server secret: `ICP_SECRET_<NAME>` (64 hex characters) when set, else the key in
 * `<dataDir>/secrets/<name>.key`, created on first use (mode 0600). Processes that race to create it
 * all end with the same key. With a multi-host setting (see `multiHostSetting`) the variable is
 * required. Errors name the variable or the file, never the key.
 */
export function loadOrCreateSecret(dataDir: string, name: string, env: Env = process.env): Buffer {
  if (!SECRET_NAME.test(name))
    throw new Error(`secret name "${name}" must be lowercase letters, digits, - or _`);
  const variable = secretEnvVar(name);
  const fromEnv = env[variable]?.trim();
  if (fromEnv) {
    if (!HEX_KEY.test(fromEnv))
      throw new ConfigError(`${variable}: must be 64 hex characters (a 32-byte key)`);
    return Buffer.from(fromEnv, 'hex');
  }
  const multiHost = multiHostSetting(env);
  if (multiHost) throw new ConfigError(`${variable}: required when ${multiHost} is set (64 hex characters)`);
  const file = secretFile(dataDir, name);
  return readSecretFile(file) ?? createSecretFile(file);
}

function readSecretFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!HEX_KEY.test(text)) {
    throw new ConfigError(
      `${file}: not a 64-hex-character key; restore it from a backup (a new key voids what the old one protects)`,
    );
  }
  return Buffer.from(text, 'hex');
}

/**
 * Writes the key to a private temporary file, then hard-links it into place. Unlike `rename`, a link
 * never replaces an existing file, so the first process wins and the others read its key (EEXIST);
 * unlike opening the final path with `wx`, no reader can see a file that is still empty or half
 * written, and a crash leaves only a stray temporary file.
 */
function createSecretFile(file: string): Buffer {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx', flush: true });
  try {
    linkSync(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = readSecretFile(file);
    if (!winner) throw error;
    return winner;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * The data directory's secrets (created if absent) as the environment variables that carry them on
 * several hosts, for moving an embedded system onto a cluster (and for tests that run one). The
 * payload key keeps its id `local`, so what it encrypted stays readable, and so does the registry's
 * signing key, so the answers it signed still verify against the published key set.
 */
export function localSecretsAsEnvironment(dataDir: string): Record<string, string> {
  const hex = (name: string) => loadOrCreateSecret(dataDir, name, {}).toString('hex');
  return {
    [secretEnvVar('jwt')]: hex('jwt'),
    [secretEnvVar('sms-answer')]: hex('sms-answer'),
    [secretEnvVar('sms-code-pepper')]: hex('sms-code-pepper'),
    TEMPORAL_PAYLOAD_KEYS: `local=${hex('payload-key')}`,
    ICP_REGISTRY_SIGNING_KEYS: `local=${hex('registry-signing-key')}`,
  };
}
