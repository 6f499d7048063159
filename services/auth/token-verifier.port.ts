import type { Actor } from '../../events/filing/actor';

/** Checks a bearer token; rejects with `AuthenticationError` when it is not acceptable. */
export interface TokenVerifier {
  /** The actor the token speaks for. */
  verify(token: string): Promise<Actor>;
}
