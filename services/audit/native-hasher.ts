import { createHash, hash } from 'node:crypto';
import { type ChainHasher, ICP_EVENT_NAMESPACE } from '../../events/ids';

const NAMESPACE_BYTES = Buffer.from(ICP_EVENT_NAMESPACE.replace(/-/g, ''), 'hex');

/** UUIDv5 (RFC 9562) of `name` in ICP's namespace, with node:crypto's SHA-1. */
function nativeEventId(name: string): string {
  const digest = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
