import { sign, verify } from 'node:crypto';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import type { RegistrySigningKeys } from '../../services/signing/signing.tokens';
import type { TreeHeadSigner } from '../../services/transparency/tree-head';

/**
 * Tree heads are signed with the registry's current Ed25519 key, the one that signs answers and is
 * published at `/.well-known/jwks.json` under the same key id: one key to publish, rotate and trust.
 */
export function treeHeadSignerOf(signing: RegistrySigningKeys): TreeHeadSigner {
  const current = signing.keys.find((key) => key.kid === signing.currentKid);
  if (!current) throw new Error(`registry signing key ${signing.currentKid} is not among the keys`);
  const x = current.publicKey.export({ format: 'jwk' }).x as string;
  return {
    algorithm: 'EdDSA',
    keyId: current.kid,
    publicKey: Buffer.from(x, 'base64url').toString('base64'),
    sign: (message) => new Uint8Array(sign(null, message, current.privateKey)),
    verify: (message, signature) => verify(null, message, current.publicKey, signature),
  };
}

/** The tree-head signer of the configuration (ICP_REGISTRY_SIGNING_KEYS, or the data dir's key). */
export function configuredTreeHeadSigner(dataDir: string): TreeHeadSigner {
  return treeHeadSignerOf(loadRegistrySigningKeys(dataDir));
}
