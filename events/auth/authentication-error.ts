/** A token was missing or not acceptable. `message` is a short reason that is safe to send to the caller. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}
