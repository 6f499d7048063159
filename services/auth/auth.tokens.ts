/** Injection token for the `TokenVerifier` that `AuthModule` provides. */
export const TOKEN_VERIFIER = Symbol('TokenVerifier');
