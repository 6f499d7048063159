import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from 'jose';

export type SignedAnswerCheck =
  | { readonly ok: true; readonly kid: string; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: SignedAnswerRefusal };

export type SignedAnswerRefusal =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'wrong_issuer'
  | 'wrong_type'
  | 'wrong_algorithm';

/** The `iss` of every signed answer. */
export const SIGNED_ANSWER_ISSUER = 'icp-registry';
/** The protected header's `typ`: what the token is, so it cannot be taken for another kind of JWT. */
export const SIGNED_ANSWER_TYPE = 'icp-answer+jwt';

/**
 * Checks a signed answer of the ICP registry offline, with nothing but `jose` and the registry's
 * published key set (`GET /.well-known/jwks.json`, saved beforehand): a device maker can copy this
 * file. Also compare `payload.request` with the question you asked: the signature binds the answer
 * to it.
 */
export async function verifySignedAnswer(
  compactJws: string,
  jwks: JSONWebKeySet,
  now: Date = new Date(),
): Promise<SignedAnswerCheck> {
  try {
    const { payload, protectedHeader } = await jwtVerify(compactJws.trim(), createLocalJWKSet(jwks), {
      algorithms: ['EdDSA'],
      issuer: SIGNED_ANSWER_ISSUER,
      typ: SIGNED_ANSWER_TYPE,
      currentDate: now,
      requiredClaims: ['iat', 'exp'],
    });
    return { ok: true, kid: protectedHeader.kid ?? '', payload };
  } catch (error) {
    return { ok: false, reason: refusalOf(error) };
  }
}

function refusalOf(error: unknown): SignedAnswerRefusal {
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'wrong_algorithm';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'typ') return 'wrong_type';
  }
  return 'malformed';
}
