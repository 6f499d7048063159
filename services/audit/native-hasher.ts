import { hash } from 'node:crypto';
import { type ChainHasher, ICP_EVENT_NAMESPACE } from '../../events/ids';

const NAMESPACE_BYTES = Buffer.from(ICP_EVENT_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * UUIDv5 (RFC 9562) of `name` in ICP's namespace, with node:crypto's one-shot SHA-1 (a Hash object per
 * id cost more than the digest). Version and variant are set on the hex: nibble 12 is the version (5),
 * nibble 16 keeps its low two bits under the variant's `10`.
 */
function nativeEventId(name: string): string {
  const hex = hash('sha1', Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]), 'hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The chain digests computed by Node's native crypto: the same bytes as events/'s pure hasher (UTF-8
 * of the same canonical text), several times faster. The auditor runs outside the workflow sandbox,
 * so it may use node:crypto; the writers inside the sandbox keep the pure one.
 */
export const NATIVE_CHAIN_HASHER: ChainHasher = {
  sha256Hex: (text) => hash('sha256', text, 'hex'),
  eventId: nativeEventId,
};
