import type { DataConverter } from '@temporalio/common';
import { ConfigError, type IcpConfig } from '../config/config';
import { loadOrCreateSecret, multiHostSetting } from '../secrets/local-secret';
import { AesGcmPayloadCodec, type PayloadKey } from './payload-codec';

type Env = Readonly<Record<string, string | undefined>>;

const KEY_ENTRY = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=([0-9a-fA-F]{64})$/;

/**
 * The payload keys: `TEMPORAL_PAYLOAD_KEYS=id=hex64,id2=hex64` with `TEMPORAL_PAYLOAD_KEY_ID` naming
 * the one that encrypts (default the first); without them, one generated local key (`local`) in
 * `<dataDir>/secrets/payload-key.key` (the embedded default only: a multi-host setting requires the
 * variable). Errors name the variable, never a key.
 */
export function loadPayloadKeys(
  dataDir: string,
  env: Env = process.env,
): { keys: PayloadKey[]; currentKeyId: string } {
  const raw = env.TEMPORAL_PAYLOAD_KEYS?.trim();
  const multiHost = multiHostSetting(env);
  if (!raw && multiHost)
    throw new ConfigError(
      `TEMPORAL_PAYLOAD_KEYS: required when ${multiHost} is set (<id>=<64 hex characters>,…)`,
    );
  if (!raw)
    return {
      keys: [{ id: 'local', key: loadOrCreateSecret(dataDir, 'payload-key', env) }],
      currentKeyId: 'local',
    };
  const keys = raw.split(',').map((entry, index) => {
    const match = KEY_ENTRY.exec(entry.trim());
    if (!match) {
      throw new ConfigError(`TEMPORAL_PAYLOAD_KEYS: entry ${index + 1} must be <id>=<64 hex characters>`);
    }
    return { id: match[1] as string, key: Buffer.from(match[2] as string, 'hex') };
  });
  if (new Set(keys.map((key) => key.id)).size !== keys.length) {
    throw new ConfigError('TEMPORAL_PAYLOAD_KEYS: key ids must be distinct');
  }
  const currentKeyId = env.TEMPORAL_PAYLOAD_KEY_ID?.trim() || (keys[0] as PayloadKey).id;
  if (!keys.some((key) => key.id === currentKeyId)) {
    throw new ConfigError(
      `TEMPORAL_PAYLOAD_KEY_ID: "${currentKeyId}" is not one of the ids in TEMPORAL_PAYLOAD_KEYS`,
    );
  }
  return { keys, currentKeyId };
}

/** What every client and worker of this system converts payloads with: encrypted on the wire. */
export function filingDataConverter(
  config: Pick<IcpConfig, 'dataDir'>,
  env: Env = process.env,
): DataConverter {
  const { keys, currentKeyId } = loadPayloadKeys(config.dataDir, env);
  return { payloadCodecs: [new AesGcmPayloadCodec(keys, currentKeyId)] };
}
