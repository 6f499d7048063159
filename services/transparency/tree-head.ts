import { utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from '../../events/canonical-json';

/** Signs tree heads with the registry's key; bound in main/ (services never hold key material). */
export interface TreeHeadSigner {
  /** JOSE name of the algorithm, e.g. `EdDSA` (Ed25519). */
  readonly algorithm: string;
  /** Names the key: a thumbprint of the public key. */
  readonly keyId: string;
  /** The raw public key, base64, so a client can check a saved head. */
  readonly publicKey: string;
  sign(message: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** What a signed tree head states (RFC 9162 §4.10, in JSON): the tree's size and root at a time. */
export interface TreeHead {
  treeSize: number;
  /** MTH of the first treeSize leaves, standard base64. */
  rootHash: string;
  /** When the head was signed, milliseconds since the epoch (as in RFC 9162). */
  timestamp: number;
}

export interface SignedTreeHead extends TreeHead {
  signature: { algorithm: string; keyId: string; publicKey: string; value: string };
}

/** The bytes signed: the canonical JSON of the head's three fields, UTF-8. */
export function treeHeadSigningInput(head: TreeHead): Uint8Array {
  const { treeSize, rootHash, timestamp } = head;
  return utf8ToBytes(canonicalJson({ rootHash, timestamp, treeSize }));
}

export function signTreeHead(head: TreeHead, signer: TreeHeadSigner): SignedTreeHead {
  const value = Buffer.from(signer.sign(treeHeadSigningInput(head))).toString('base64');
  const { algorithm, keyId, publicKey } = signer;
  return { ...head, signature: { algorithm, keyId, publicKey, value } };
}

/** true when the head's signature was made by this signer's key. */
export function treeHeadSignedBy(head: SignedTreeHead, signer: TreeHeadSigner): boolean {
  if (head.signature.keyId !== signer.keyId) return false;
  return signer.verify(treeHeadSigningInput(head), Buffer.from(head.signature.value, 'base64'));
}

export const signedTreeHeadSchema = {
  type: 'object',
  required: ['treeSize', 'rootHash', 'timestamp', 'signature'],
  properties: {
    treeSize: { type: 'integer', minimum: 0 },
    rootHash: { type: 'string', description: 'SHA-256 Merkle tree hash (RFC 9162 §2.1.1), base64' },
    timestamp: { type: 'integer', description: 'milliseconds since the epoch' },
    signature: {
      type: 'object',
      required: ['algorithm', 'keyId', 'publicKey', 'value'],
      description: 'over the canonical JSON of {rootHash, timestamp, treeSize}',
      properties: {
        algorithm: { type: 'string' },
        keyId: { type: 'string' },
        publicKey: { type: 'string' },
        value: { type: 'string' },
      },
    },
  },
};
