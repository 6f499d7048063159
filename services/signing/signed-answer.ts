import { SignJWT } from 'jose';
import type { RegistrySigningKeys } from './signing.tokens';
import { SIGNED_ANSWER_ISSUER, SIGNED_ANSWER_TYPE } from './verify-signed-answer';

/** The media type of a signed answer: a compact JWS (RFC 7515 §9.2.1). */
export const JOSE_MEDIA_TYPE = 'application/jose';
/** How long a signed answer is valid: a device maker may rely on it offline for a day. */
export const SIGNED_ANSWER_TTL_SECONDS = 24 * 60 * 60;

/** The question a signed answer answers, so it cannot be presented as the answer to another one. */
export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  /** The query parameters as given, `signed` left out. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
}

/** A published key as a JWK: the public part only. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/**
 * The answer as a compact JWS under the current key: its members, then `request`, `iss`, `iat` and
 * `exp` (the claims last, so no member of an answer can stand in for them).
 */
export async function signAnswer(
  answer: unknown,
  request: AnsweredRequest,
  signing: RegistrySigningKeys,
  now: Date = new Date(),
): Promise<string> {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    throw new TypeError('only a JSON object answer can be signed');
  const key = signing.keys.find((candidate) => candidate.kid === signing.currentKid);
  if (!key) throw new Error(`no signing key has the current kid "${signing.currentKid}"`);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...(answer as Record<string, unknown>), request })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: SIGNED_ANSWER_TYPE })
    .setIssuer(SIGNED_ANSWER_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + SIGNED_ANSWER_TTL_SECONDS)
    .sign(key.privateKey);
}

/** The JWK Set of every published key, without any private part. */
export function publicJwks(signing: RegistrySigningKeys): { keys: PublicJwk[] } {
  return {
    keys: signing.keys.map(({ kid, publicKey }) => {
      const { x } = publicKey.export({ format: 'jwk' });
      if (typeof x !== 'string') throw new Error(`signing key "${kid}" is not an Ed25519 key`);
      return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
    }),
  };
}
