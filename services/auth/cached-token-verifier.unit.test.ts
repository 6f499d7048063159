import { AuthenticationError } from '../../events/auth/authentication-error';
import type { Actor } from '../../events/filing/actor';
import { CachedTokenVerifier } from './cached-token-verifier';
import type { TokenVerifier } from './token-verifier.port';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const STORE: Actor = { role: 'store', id: 'appgallery-ops', org: 'huawei-appgallery' };

/** A token shaped like a JWT whose payload expires `expiresInSeconds` after T0, signed `signature`. */
function tokenOf(expiresInSeconds: number, signature = 'sig'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub: STORE.id, exp: T0 / 1000 + expiresInSeconds })}.${signature}`;
}

/** An issuer's view of tokens: accepts those it signed and still honours, counting each check. */
class Issuer implements TokenVerifier {
  readonly honoured = new Set<string>();
  checks = 0;

  async verify(token: string): Promise<Actor> {
    this.checks += 1;
    if (!this.honoured.has(token)) throw new AuthenticationError('token signed with an unknown key');
    return { ...STORE };
  }
}

describe('CachedTokenVerifier: accepted bearer tokens remembered until they expire', () => {
  let now: number;
  let issuer: Issuer;
  let cache: CachedTokenVerifier;

  beforeEach(() => {
    now = T0;
    issuer = new Issuer();
    cache = new CachedTokenVerifier(issuer, { maxEntries: 2, maxAgeMs: 30_000, now: () => now });
  });

  it('answers a token it accepted again without verifying its signature again', async () => {
    const token = tokenOf(3600);
    issuer.honoured.add(token);
    expect(await cache.verify(token)).toEqual(STORE);
    now += 10_000;
    expect(await cache.verify(token)).toEqual(STORE);
    expect(issuer.checks).toBe(1);
  });

  it('refuses a token once it has expired, though it was accepted before', async () => {
    const token = tokenOf(5);
    issuer.honoured.add(token);
    await cache.verify(token);
    now += 5_000;
    issuer.honoured.delete(token); // the verifier now finds it expired
    await expect(cache.verify(token)).rejects.toThrow(AuthenticationError);
    await expect(cache.verify(token)).rejects.toThrow(AuthenticationError);
    expect(issuer.checks).toBe(3);
  });

  it('asks the verifier again after maxAgeMs, so a withdrawn key stops being honoured', async () => {
    const token = tokenOf(3600);
    issuer.honoured.add(token);
    await cache.verify(token);
    now += 30_000;
    issuer.honoured.delete(token);
    await expect(cache.verify(token)).rejects.toThrow('unknown key');
  });

  it('never remembers a refusal, nor serves a forged token from the entry of a genuine one', async () => {
    const genuine = tokenOf(3600);
    issuer.honoured.add(genuine);
    await cache.verify(genuine);
    const forged = tokenOf(3600, 'forged');
    await expect(cache.verify(forged)).rejects.toThrow('unknown key');
    issuer.honoured.add(forged);
    expect(await cache.verify(forged)).toEqual(STORE);
    expect(issuer.checks).toBe(3);
  });

  it('keeps at most maxEntries tokens, forgetting the oldest first', async () => {
    const tokens = [tokenOf(3600, 'a'), tokenOf(3600, 'b'), tokenOf(3600, 'c')];
    tokens.forEach((token) => issuer.honoured.add(token));
    for (const token of tokens) await cache.verify(token);
    await cache.verify(tokens[2] as string);
    expect(issuer.checks).toBe(3);
    await cache.verify(tokens[0] as string);
    expect(issuer.checks).toBe(4);
  });

  it('hands each caller its own actor, so one request cannot change another’s', async () => {
    const token = tokenOf(3600);
    issuer.honoured.add(token);
    const first = await cache.verify(token);
    (first as { id: string }).id = 'someone-else';
    expect(await cache.verify(token)).toEqual(STORE);
  });
});
