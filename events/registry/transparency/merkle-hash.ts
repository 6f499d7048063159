import { sha256 } from '@noble/hashes/sha256';

/** A SHA-256 digest: every hash of the tree (RFC 9162 §2.1.1). */
export type Hash = Uint8Array;

export const HASH_BYTES = 32;

/** SHA-256 of the bytes; injected so a host may use a faster implementation than the pure one. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/**
 * The tree's two hashes, domain-separated (RFC 9162 §2.1.1): a leaf is SHA-256(0x00 || data), an
 * interior node SHA-256(0x01 || left || right), so no leaf can pass for a node.
 */
export interface MerkleHasher {
  leaf(data: Uint8Array): Hash;
  node(left: Hash, right: Hash): Hash;
  /** The hash of the empty tree: SHA-256 of nothing. */
  empty(): Hash;
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

export function merkleHasher(hash: Sha256 = sha256): MerkleHasher {
  return {
    leaf(data) {
      const input = new Uint8Array(1 + data.length);
      input[0] = LEAF_PREFIX;
      input.set(data, 1);
      return hash(input);
    },
    node(left, right) {
      const input = new Uint8Array(1 + 2 * HASH_BYTES);
      input[0] = NODE_PREFIX;
      input.set(left, 1);
      input.set(right, 1 + HASH_BYTES);
      return hash(input);
    },
    empty: () => hash(new Uint8Array(0)),
  };
}

export const SHA256_MERKLE: MerkleHasher = merkleHasher();

export function sameHash(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && Number.isInteger(Math.log2(n));
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, as the API and saved tree heads write hashes. */
export function hashToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const triple = (a << 16) | (b << 8) | c;
    const chars = [18, 12, 6, 0].map((shift) => BASE64[(triple >> shift) & 63]);
    const kept = Math.min(4, bytes.length - i + 1);
    text += chars.slice(0, kept).join('') + '='.repeat(4 - kept);
  }
  return text;
}

const BASE64_HASH = /^[A-Za-z0-9+/_-]{43}=?$/;

/** A 32-byte hash from base64 (standard or URL-safe, padding optional) or 64 hex characters; else undefined. */
export function parseHash(text: string): Hash | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    const bytes = new Uint8Array(HASH_BYTES);
    for (let i = 0; i < HASH_BYTES; i += 1) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  if (!BASE64_HASH.test(text)) return undefined;
  const digits = text.replace(/=$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = new Uint8Array(HASH_BYTES);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of digits) {
    value = (value << 6) | BASE64.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  // 43 digits carry 258 bits: the last two must be zero in a canonical encoding.
  return (value & ((1 << bits) - 1)) === 0 ? bytes : undefined;
}
