import type { KeyObject } from 'node:crypto';

/** `RegistrySigningKeys`: the registry's Ed25519 keys; bound by the composition root. */
export const REGISTRY_SIGNING_KEYS = Symbol('RegistrySigningKeys');

export interface RegistrySigningKeys {
  /** Every key published at `/.well-known/jwks.json`: the current one and those whose answers may still be live. */
  readonly keys: readonly {
    readonly kid: string;
    readonly privateKey: KeyObject;
    readonly publicKey: KeyObject;
  }[];
  /** The key that signs new answers. */
  readonly currentKid: string;
}
