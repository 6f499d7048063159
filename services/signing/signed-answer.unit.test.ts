import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { publicJwks, signAnswer, SIGNED_ANSWER_TTL_SECONDS, type AnsweredRequest } from './signed-answer';
import type { RegistrySigningKeys } from './signing.tokens';
import { verifySignedAnswer } from './verify-signed-answer';

const key = (kid: string) => ({ kid, ...generateKeyPairSync('ed25519') });
const OLD = key('2026-01');
const NEW = key('2026-07');
const NOW = new Date('2026-12-07T10:00:00.000Z');
const ANSWER = { items: [{ serviceNumber: '粤ICP备2026000123号-1A', status: 'active' }] };
const REQUEST: AnsweredRequest = {
  method: 'GET',
  path: '/v1/public/services',
  query: { packageName: 'com.example.ledger' },
};
const signing = (currentKid: string, keys = [OLD, NEW]): RegistrySigningKeys => ({ keys, currentKid });
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function tampered(jws: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(decoded);
  return [header, Buffer.from(JSON.stringify(decoded)).toString('base64url'), signature].join('.');
}

describe('signed answers', () => {
  it('verify offline with the published key set, carrying the answer, the question and a day of validity', async () => {
    const jws = await signAnswer(ANSWER, REQUEST, signing(NEW.kid), NOW);

    const check = await verifySignedAnswer(jws, publicJwks(signing(NEW.kid)), later(60));

    expect(check).toEqual({
      ok: true,
      kid: NEW.kid,
      payload: {
        ...ANSWER,
        request: REQUEST,
        iss: 'icp-registry',
        iat: NOW.getTime() / 1000,
        exp: NOW.getTime() / 1000 + SIGNED_ANSWER_TTL_SECONDS,
      },
    });
    const header = JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'EdDSA', kid: NEW.kid, typ: 'icp-answer+jwt' });
  });

  it('publishes the public keys only', () => {
    const { keys } = publicJwks(signing(NEW.kid));

    expect(keys.map((jwk) => jwk.kid)).toEqual([OLD.kid, NEW.kid]);
    for (const jwk of keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    expect(keys[1]?.x).toBe(NEW.publicKey.export({ format: 'jwk' }).x);
  });

  it('refuses an answer changed after signing', async () => {
    const jws = await signAnswer(ANSWER, REQUEST, signing(NEW.kid), NOW);
    const jwks = publicJwks(signing(NEW.kid));

    const changed = tampered(jws, (payload) => {
      (payload.items as Array<Record<string, unknown>>)[0]!.status = 'cancelled';
    });
    const otherQuestion = tampered(jws, (payload) => {
      payload.request = { ...REQUEST, query: { packageName: 'com.counterfeit.ledger' } };
    });

    expect(await verifySignedAnswer(changed, jwks, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await verifySignedAnswer(otherQuestion, jwks, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifySignedAnswer('not a jws', jwks, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses an answer whose key is not published', async () => {
    const jws = await signAnswer(ANSWER, REQUEST, signing(NEW.kid), NOW);

    const check = await verifySignedAnswer(jws, publicJwks(signing(OLD.kid, [OLD])), NOW);

    expect(check).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses an expired answer', async () => {
    const jws = await signAnswer(ANSWER, REQUEST, signing(NEW.kid), NOW);
    const jwks = publicJwks(signing(NEW.kid));

    expect((await verifySignedAnswer(jws, jwks, later(SIGNED_ANSWER_TTL_SECONDS - 1))).ok).toBe(true);
    expect(await verifySignedAnswer(jws, jwks, later(SIGNED_ANSWER_TTL_SECONDS + 1))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token of another type or issuer signed with the same key', async () => {
    const jwks = publicJwks(signing(NEW.kid));
    const token = (typ: string, iss: string) =>
      new SignJWT(ANSWER)
        .setProtectedHeader({ alg: 'EdDSA', kid: NEW.kid, typ })
        .setIssuer(iss)
        .setIssuedAt(NOW.getTime() / 1000)
        .setExpirationTime(NOW.getTime() / 1000 + 60)
        .sign(NEW.privateKey);

    expect(await verifySignedAnswer(await token('at+jwt', 'icp-registry'), jwks, NOW)).toEqual({
      ok: false,
      reason: 'wrong_type',
    });
    expect(await verifySignedAnswer(await token('icp-answer+jwt', 'someone'), jwks, NOW)).toEqual({
      ok: false,
      reason: 'wrong_issuer',
    });
  });

  it('rotates: new answers carry the new kid, old ones verify while the old key stays published', async () => {
    const before = await signAnswer(ANSWER, REQUEST, signing(OLD.kid), NOW);
    const after = await signAnswer(ANSWER, REQUEST, signing(NEW.kid), later(3600));
    const bothPublished = publicJwks(signing(NEW.kid));
    const oldRetired = publicJwks(signing(NEW.kid, [NEW]));

    expect(await verifySignedAnswer(before, bothPublished, later(7200))).toMatchObject({
      ok: true,
      kid: OLD.kid,
    });
    expect(await verifySignedAnswer(after, bothPublished, later(7200))).toMatchObject({
      ok: true,
      kid: NEW.kid,
    });
    expect(await verifySignedAnswer(after, oldRetired, later(7200))).toMatchObject({
      ok: true,
      kid: NEW.kid,
    });
    expect(await verifySignedAnswer(before, oldRetired, later(7200))).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
  });

  it('signs JSON objects only', async () => {
    await expect(signAnswer([1, 2], REQUEST, signing(NEW.kid), NOW)).rejects.toThrow(
      'only a JSON object answer can be signed',
    );
  });
});
