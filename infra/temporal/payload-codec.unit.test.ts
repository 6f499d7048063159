import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigError } from '../config/config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, UnknownPayloadKeyError } from './payload-codec';
import { loadPayloadKeys } from './payload-keys';

const key = (id: string) => ({ id, key: randomBytes(32) });
const PERSONAL = { idNumber: '440305198503120036', mobile: '13800138000', email: 'zhangsan@example.com' };

describe('the AES-256-GCM payload codec', () => {
  const october = key('2026-10');
  const november = key('2026-11');
  const payload = defaultPayloadConverter.toPayload(PERSONAL)!;

  it('encrypts every payload whole: nothing of the value or its encoding is readable', async () => {
    const [encoded] = await new AesGcmPayloadCodec([october], october.id).encode([payload]);
    const bytes = Buffer.concat([
      Buffer.from(encoded!.data!),
      ...Object.values(encoded!.metadata!).map((v) => Buffer.from(v)),
    ]);
    for (const value of [...Object.values(PERSONAL), 'json/plain']) expect(bytes.includes(value)).toBe(false);
    expect(Buffer.from(encoded!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    const [again] = await new AesGcmPayloadCodec([october], october.id).encode([payload]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(encoded!.data!))).toBe(false);
  });

  it('decodes what it encoded, and what an older key encoded after rotation', async () => {
    const before = new AesGcmPayloadCodec([october], october.id);
    const after = new AesGcmPayloadCodec([october, november], november.id);
    const [old] = await before.encode([payload]);
    const [fresh] = await after.encode([payload]);
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('2026-11');
    for (const encoded of [old!, fresh!]) {
      const [decoded] = await after.decode([encoded]);
      expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(PERSONAL);
    }
  });

  it('passes payloads written before encryption through, and refuses unknown keys and altered bytes', async () => {
    const codec = new AesGcmPayloadCodec([november], november.id);
    expect(await codec.decode([payload])).toEqual([payload]);
    const [byOctober] = await new AesGcmPayloadCodec([october], october.id).encode([payload]);
    await expect(codec.decode([byOctober!])).rejects.toThrow(UnknownPayloadKeyError);
    const [encoded] = await codec.encode([payload]);
    const altered = Buffer.from(encoded!.data!);
    altered[20] = (altered[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...encoded!, data: altered }])).rejects.toThrow();
  });
});

describe('payload keys from the environment', () => {
  const hex = (byte: string) => byte.repeat(64);

  it('reads ids and keys, and encrypts with the one TEMPORAL_PAYLOAD_KEY_ID names', () => {
    const { keys, currentKeyId } = loadPayloadKeys('/nowhere', {
      TEMPORAL_PAYLOAD_KEYS: `2026-10=${hex('a')}, 2026-11=${hex('b')}`,
      TEMPORAL_PAYLOAD_KEY_ID: '2026-11',
    });
    expect(keys.map((k) => k.id)).toEqual(['2026-10', '2026-11']);
    expect(currentKeyId).toBe('2026-11');
  });

  it.each([
    [{ TEMPORAL_PAYLOAD_KEYS: 'k1=abc' }, 'TEMPORAL_PAYLOAD_KEYS: entry 1 must be <id>=<64 hex characters>'],
    [
      { TEMPORAL_PAYLOAD_KEYS: `k1=${hex('a')},k1=${hex('b')}` },
      'TEMPORAL_PAYLOAD_KEYS: key ids must be distinct',
    ],
    [
      { TEMPORAL_PAYLOAD_KEYS: `k1=${hex('a')}`, TEMPORAL_PAYLOAD_KEY_ID: 'k2' },
      'TEMPORAL_PAYLOAD_KEY_ID: "k2" is not one of the ids in TEMPORAL_PAYLOAD_KEYS',
    ],
  ])('refuses %j with a ConfigError naming the variable, never a key', (env, message) => {
    let thrown: unknown;
    try {
      loadPayloadKeys('/nowhere', env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(message);
  });
});
