import { multiHostSetting, secretEnvVar } from '../secrets/local-secret';
import { parseRegistrySigningKeys, SIGNING_KEYS_VARIABLE } from '../secrets/registry-signing-key';
import { loadPayloadKeys } from '../temporal/payload-keys';
import { ConfigError } from './config';

type Env = Readonly<Record<string, string | undefined>>;

/** The long-running processes (and the `icp` commands) that hold secrets. */
export type SecretHolder = 'api' | 'worker' | 'start' | 'projector' | 'token';

/** A secret a process needs, by the environment variable it comes from. */
export type SecretVariable =
  | 'ICP_SECRET_JWT'
  | 'ICP_SECRET_SMS_ANSWER'
  | 'ICP_SECRET_SMS_CODE_PEPPER'
  | 'TEMPORAL_PAYLOAD_KEYS'
  | typeof SIGNING_KEYS_VARIABLE;

const JWT = secretEnvVar('jwt') as 'ICP_SECRET_JWT';
const SMS_ANSWER = secretEnvVar('sms-answer') as 'ICP_SECRET_SMS_ANSWER';
const SMS_CODE_PEPPER = secretEnvVar('sms-code-pepper') as 'ICP_SECRET_SMS_CODE_PEPPER';
const HEX_KEY = /^[0-9a-f]{64}$/i;

/**
 * Which secrets each process reads. The API signs and checks tokens (not when an identity provider
 * issues them, `ICP_JWKS_URL`), seals SMS answers, talks to Temporal and signs the answers a caller
 * asks signed; the worker opens the sealed answers, peppers code hashes and talks to Temporal; the
 * projector holds none.
 */
export function secretsNeededBy(holder: SecretHolder, env: Env = process.env): SecretVariable[] {
  const jwt: SecretVariable[] = env.ICP_JWKS_URL?.trim() ? [] : [JWT];
  const api: SecretVariable[] = [...jwt, SMS_ANSWER, 'TEMPORAL_PAYLOAD_KEYS', SIGNING_KEYS_VARIABLE];
  const worker: SecretVariable[] = [SMS_ANSWER, SMS_CODE_PEPPER, 'TEMPORAL_PAYLOAD_KEYS'];
  switch (holder) {
    case 'api':
      return api;
    case 'worker':
      return worker;
    case 'start':
      return [...new Set([...api, ...worker])];
    case 'projector':
      return [];
    case 'token':
      return jwt;
    default: {
      const unknown: never = holder;
      throw new Error(`unknown secret holder ${String(unknown)}`);
    }
  }
}

/** Why the variable's value cannot be used, or `undefined` when it can. Never quotes the value. */
function malformation(variable: SecretVariable, value: string, env: Env): string | undefined {
  if (variable === 'TEMPORAL_PAYLOAD_KEYS') {
    const keys = { TEMPORAL_PAYLOAD_KEYS: value, TEMPORAL_PAYLOAD_KEY_ID: env.TEMPORAL_PAYLOAD_KEY_ID };
    return configProblem(() => loadPayloadKeys('', keys));
  }
  if (variable === SIGNING_KEYS_VARIABLE) return configProblem(() => parseRegistrySigningKeys(env));
  return HEX_KEY.test(value) ? undefined : `${variable} (must be 64 hex characters)`;
}

/** `VARIABLE (rule)` when the key list's parser refuses it, else `undefined`. */
function configProblem(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replace(/^(\w+): /, '$1 (') + ')';
    throw error;
  }
}

/**
 * Checks, before a process opens anything, the secrets it needs: with a multi-host setting
 * (`TEMPORAL_ADDRESS` or `DATABASE_URL`) every one must be set in the environment; a value that is
 * set must be well formed in any setting. Throws one `ConfigError` whose one-line message names
 * every missing or malformed variable at once (never a value).
 */
export function requireSecrets(holder: SecretHolder, env: Env = process.env): void {
  const multiHost = multiHostSetting(env);
  const missing: string[] = [];
  const malformed: string[] = [];
  for (const variable of secretsNeededBy(holder, env)) {
    const value = env[variable]?.trim();
    if (!value) {
      if (multiHost) missing.push(variable);
      continue;
    }
    const problem = malformation(variable, value, env);
    if (problem) malformed.push(problem);
  }
  if (missing.length === 0 && malformed.length === 0) return;
  const parts = [
    ...(missing.length > 0
      ? [`missing ${missing.join(', ')} (secrets come from the environment when ${multiHost} is set)`]
      : []),
    ...(malformed.length > 0 ? [`malformed ${malformed.join(', ')}`] : []),
  ];
  throw new ConfigError(`secrets: ${parts.join('; ')}`);
}
