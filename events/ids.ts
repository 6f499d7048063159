import { sha1 } from '@noble/hashes/sha1';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** Namespace of every deterministic id this system derives (UUIDv5, RFC 9562). */
export const ICP_EVENT_NAMESPACE = '6f1c1a52-3f0e-5b8e-9a57-2f7c0e4d9b11';

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error('uuidv5: namespace must be a UUID');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** UUIDv5: the same name in the same namespace always gives the same id, so a retried append is recognised. */
export function uuidv5(name: string, namespace: string = ICP_EVENT_NAMESPACE): string {
  const ns = uuidBytes(namespace);
  const nameBytes = utf8ToBytes(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, ns.length);
  const hash = sha1(input).slice(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytesToHex(hash);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The two digests a hash chain needs: SHA-256 of text (hex) and the UUIDv5 of a name in ICP's
 * namespace. Injected into the chain checks so the auditor outside the workflow sandbox can pass
 * native ones (node:crypto) for the same bytes; events/ defaults to these pure ones.
 */
export interface ChainHasher {
  readonly sha256Hex: (text: string) => string;
  readonly eventId: (name: string) => string;
}

export const PURE_CHAIN_HASHER: ChainHasher = { sha256Hex, eventId: (name) => uuidv5(name) };
