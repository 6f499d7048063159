import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  SignJWT,
} from 'jose';
import type { Actor } from '../../events/filing/actor';
import { ConfigError } from '../config/config';
import { loadOrCreateSecret } from '../secrets/local-secret';
import { AuthenticationError } from '../../events/auth/authentication-error';
import { actorFromClaims, type TokenClaims } from '../../events/auth/token-claims';

export interface TokenVerifier {
  /** The actor the token speaks for; rejects with `AuthenticationError` when it is not acceptable. */
  verify(token: string): Promise<Actor>;
  /** A token for the local secret. Rejects when tokens come from an identity provider (`ICP_JWKS_URL`). */
  issue(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
}

export interface TokenVerifierOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 30;
const LOCAL_ALGORITHM = 'HS256';
const IDENTITY_PROVIDER_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

function setting(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  return env[name]?.trim() || fallback;
}

function jwksUrl(env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.ICP_JWKS_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('ICP_JWKS_URL: must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('ICP_JWKS_URL: must be an http(s) URL');
  }
  return url;
}

/**
 * Verifies bearer tokens: HS256 with the `jwt` secret of the data directory (created on first use),
 * or, when `ICP_JWKS_URL` is set, the identity provider's asymmetric keys. Algorithms are pinned per
 * mode, so neither `alg: none` nor an HS256 token signed with a public key can get through.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const env = options.env ?? process.env;
  const issuer = setting(env, 'ICP_JWT_ISSUER', 'icp-filing');
  const audience = setting(env, 'ICP_JWT_AUDIENCE', 'icp-filing-api');
  const remote = jwksUrl(env);
  const keys: JWTVerifyGetKey | Uint8Array = remote
    ? createRemoteJWKSet(remote)
    : loadOrCreateSecret(options.dataDir, 'jwt', env);
  const verifyOptions: JWTVerifyOptions = {
    issuer,
    audience,
    algorithms: remote ? IDENTITY_PROVIDER_ALGORITHMS : [LOCAL_ALGORITHM],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp'],
  };

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const verified =
          typeof keys === 'function'
            ? await jwtVerify(token, keys, verifyOptions)
            : await jwtVerify(token, keys, verifyOptions);
        payload = verified.payload;
      } catch (error) {
        throw new AuthenticationError(rejectionReason(error, remote !== undefined));
      }
      return actorFromClaims(payload);
    },

    async issue(claims, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
      if (typeof keys === 'function') {
        throw new Error('ICP_JWKS_URL is set: tokens come from the identity provider, not the local secret');
      }
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
        throw new RangeError('token lifetime must be a whole number of seconds, at least 1');
      }
      const actor = actorFromClaims({ ...claims });
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        role: actor.role,
        platformId: actor.platformId,
        province: actor.province,
        ispName: actor.ispName,
        org: actor.org,
      })
        .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' })
        .setSubject(actor.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(keys);
    },
  };
}

/** Names what was wrong without repeating anything from the token. */
function rejectionReason(error: unknown, fetchesKeys: boolean): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token has no "${error.claim}" claim`;
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.claim === 'iat') return 'token issued in the future';
    if (error.claim === 'iss') return 'token from an unexpected issuer';
    if (error.claim === 'aud') return 'token for another audience';
    return `token "${error.claim}" claim invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signing algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return 'token signed with an unknown key';
  }
  // Failed fetches surface as network errors or as jose's generic error (non-200, not JSON).
  const keysUnavailable =
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError) ||
    error.code === errors.JOSEError.code;
  if (fetchesKeys && keysUnavailable) return 'identity provider keys unavailable';
  return 'token malformed';
}
