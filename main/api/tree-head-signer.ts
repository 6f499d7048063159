import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import type { TreeHeadSigner } from '../../services/transparency/tree-head';

/** The secret whose 32 bytes are the Ed25519 seed (`ICP_SECRET_TRANSPARENCY_SIGNING` or the data dir). */
export const TREE_HEAD_KEY = 'transparency-signing';

/** PKCS #8 DER of an Ed25519 private key (RFC 8410), before its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Ed25519 over the head's signing input; the key id is the public key's JWK thumbprint (RFC 7638). */
export function ed25519TreeHeadSigner(seed: Buffer): TreeHeadSigner {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const x = publicKey.export({ format: 'jwk' }).x as string;
  const thumbprint = createHash('sha256')
    .update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)
    .digest('base64url');
  return {
    algorithm: 'EdDSA',
    keyId: thumbprint,
    publicKey: Buffer.from(x, 'base64url').toString('base64'),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    verify: (message, signature) => verify(null, message, publicKey, signature),
  };
}

export function configuredTreeHeadSigner(dataDir: string): TreeHeadSigner {
  return ed25519TreeHeadSigner(loadOrCreateSecret(dataDir, TREE_HEAD_KEY));
}
