import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** Encoding of an encrypted payload; its key id travels beside it so old keys keep decrypting. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  /** Short name recorded with every payload it encrypts, e.g. `2026-11`. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export class UnknownPayloadKeyError extends Error {
  override readonly name = 'UnknownPayloadKeyError';
}

const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');

/**
 * AES-256-GCM over each whole payload (its metadata included), so the Temporal server, its database
 * and Web UI hold workflow inputs, results and activity arguments only encrypted. Encrypts with the
 * current key; decrypts with whichever key a payload names (rotation: add a key, make it current,
 * keep the old ones while histories written with them are still read). Unencrypted payloads — written
 * before the codec was configured — pass through on decode.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: readonly PayloadKey[],
    private readonly currentKeyId: string,
  ) {
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`payload key ${id}: must be 32 bytes, got ${key.length}`);
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    if (!this.keys.has(currentKeyId))
      throw new Error(`payload key ${currentKeyId} is not among the keys given`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(text(this.currentKeyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: text(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: text(this.currentKeyId),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? Buffer.from(keyIdBytes).toString('utf8') : '';
      const key = this.keys.get(keyId);
      if (!key)
        throw new UnknownPayloadKeyError(`payload encrypted with key "${keyId}", which is not configured`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(text(keyId));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
