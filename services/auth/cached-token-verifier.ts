import { createHash } from 'node:crypto';
import type { Actor } from '../../events/filing/actor';
import type { TokenVerifier } from './token-verifier.port';

export interface TokenCacheOptions {
  /** Tokens remembered at most; the oldest is forgotten first. */
  maxEntries: number;
  /**
   * How long an accepted token is served from memory at most, even when it expires later: the
   * verifier is asked again at least this often, so a key the identity provider withdrew stops
   * being honoured within this (jose itself keeps a fetched key set up to 10 minutes).
   */
  maxAgeMs: number;
  /** Milliseconds since the epoch. */
  now: () => number;
}

export const DEFAULT_TOKEN_CACHE: TokenCacheOptions = { maxEntries: 10_000, maxAgeMs: 30_000, now: Date.now };

interface Remembered {
  actor: Actor;
  /** Until when (ms) it may be served: never past the token's `exp`. */
  until: number;
}

/**
 * Remembers tokens `verifier` accepted until their `exp` (or `maxAgeMs`, whichever comes first),
 * keyed by a SHA-256 digest so the tokens themselves are not kept. Refusals are never remembered:
 * an expired, forged or unknown-key token goes to the verifier every time.
 */
export class CachedTokenVerifier implements TokenVerifier {
  private readonly accepted = new Map<string, Remembered>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: TokenCacheOptions = DEFAULT_TOKEN_CACHE,
  ) {}

  async verify(token: string): Promise<Actor> {
    const key = createHash('sha256').update(token).digest('base64');
    const remembered = this.accepted.get(key);
    if (remembered !== undefined) {
      if (this.options.now() < remembered.until) return { ...remembered.actor };
      this.accepted.delete(key);
    }
    const actor = await this.verifier.verify(token);
    this.remember(key, token, actor);
    return actor;
  }

  private remember(key: string, token: string, actor: Actor): void {
    const expiresAt = expiryOf(token);
    if (expiresAt === undefined) return;
    const until = Math.min(expiresAt, this.options.now() + this.options.maxAgeMs);
    if (until <= this.options.now()) return;
    if (this.accepted.size >= this.options.maxEntries) {
      const oldest = this.accepted.keys().next();
      if (!oldest.done) this.accepted.delete(oldest.value);
    }
    this.accepted.set(key, { actor: { ...actor }, until });
  }
}

/** The `exp` (ms) of a token the verifier has just accepted; undefined when it cannot be read. */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const perVerifier = new WeakMap<TokenVerifier, CachedTokenVerifier>();

/** One cache per verifier, shared by every guard instance Nest creates for its feature modules. */
export function cachedTokenVerifier(verifier: TokenVerifier): CachedTokenVerifier {
  if (verifier instanceof CachedTokenVerifier) return verifier;
  let cached = perVerifier.get(verifier);
  if (cached === undefined) {
    cached = new CachedTokenVerifier(verifier);
    perVerifier.set(verifier, cached);
  }
  return cached;
}
