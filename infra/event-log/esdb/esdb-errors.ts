import { convertToCommandError, type CurrentStreamState, ErrorType } from '@kurrent/kurrentdb-client';
import { ConfigError } from '../../config/config';
import { EventLogUnavailableError } from '../../../events/ports/event-log.port';
import { redactEventLogUrl } from '../event-log-url';
import { clientConnectionString } from './esdb-connection-string';

/** Failures after which the same call may succeed later: no server, no leader, a timeout, a cut stream. */
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
  ErrorType.TIMEOUT,
]);
// gRPC status codes of the same failures, for call errors the client passes through unconverted:
// CANCELLED, DEADLINE_EXCEEDED, ABORTED, UNAVAILABLE.
const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 4, 10, 14]);
// Thrown by the client itself when gossip finds no node (+discover:// or several hosts).
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts/;
// The server's answer to a read that does not start on a record boundary (RpcExceptions.cs).
const INVALID_POSITION = /invalid position/i;

/** The user name and password in the URL (raw and decoded), to keep them out of every message. */
export function urlSecrets(url: string): string[] {
  // The client's own rule: `user:password@` right after the scheme (kurrentdb, esdb, +discover).
  const match = /^[^:/]+:\/\/([^:]+):([^@]+)@/.exec(url.trim());
  if (!match) return [];
  const secrets = new Set<string>();
  for (const raw of [match[1], match[2]]) {
    if (!raw) continue;
    secrets.add(raw);
    try {
      secrets.add(decodeURIComponent(raw));
    } catch {
      // Not percent-encoded after all: the raw form is already covered.
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  return [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join('***'), text);
}

/** The URL for messages: redacted, and scrubbed too, whatever scheme the redaction knows. */
export function redactedUrl(url: string): string {
  return scrub(redactEventLogUrl(url), urlSecrets(url));
}

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** The client's typed error, or the error itself when the client does not know it. */
function asCommandError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  try {
    return convertToCommandError(error);
  } catch {
    return error;
  }
}

export function isTransient(error: unknown): boolean {
  if (error instanceof EventLogUnavailableError) return true;
  const converted = asCommandError(error);
  const type = errorType(converted);
  if (type !== undefined) return TRANSIENT_TYPES.has(type);
  const code = (converted as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && TRANSIENT_CODES.has(code)) return true;
  return converted instanceof Error && DISCOVERY_FAILED.test(converted.message);
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === ErrorType.STREAM_NOT_FOUND;
}

/** The stream's actual revision when the server refused the expected one; undefined for other errors. */
export function wrongExpectedVersion(error: unknown): { current: CurrentStreamState } | undefined {
  if (errorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) return undefined;
  const { actualState } = error as { actualState?: unknown };
  if (actualState === 'no_stream' || typeof actualState === 'bigint') return { current: actualState };
  return undefined;
}

/**
 * What the port's callers see: EventLogUnavailableError for anything a retry may cure, a plain message
 * for a refused login, the error itself otherwise. No message carries the URL's user name or password.
 */
export function toEventLogError(error: unknown, description: string, secrets: readonly string[]): Error {
  if (error instanceof EventLogUnavailableError) return error;
  const converted = asCommandError(error);
  const message = scrub(converted instanceof Error ? converted.message : String(converted), secrets);
  // The cause travels with the error (and into logs): it must be as clean as the message.
  if (converted instanceof Error && converted.message !== message) converted.message = message;
  if (isTransient(converted)) {
    return new EventLogUnavailableError(`event log ${description} is unavailable: ${message}`, {
      cause: converted,
    });
  }
  if (INVALID_POSITION.test(message)) {
    return new RangeError(
      `event log ${description}: ${message} Positions must come from this log; read models checkpointed on another backend must be rebuilt`,
      { cause: converted },
    );
  }
  if (errorType(converted) === ErrorType.ACCESS_DENIED) {
    return new Error(
      `event log ${description}: access denied (the user in EVENT_STORE_URL must be allowed to read $all and write the streams): ${message}`,
      { cause: converted },
    );
  }
  return converted instanceof Error ? converted : new Error(message);
}

/**
 * The client refused the URL (as clientConnectionString handed it over); its own message may quote the
 * part holding the password. The character it names is counted back in `url` as the operator wrote it.
 */
export function invalidConnectionString(error: unknown, url: string): ConfigError {
  const { location, expected } = (error ?? {}) as { location?: unknown; expected?: unknown };
  const schemeShift = clientConnectionString(url).length - url.length;
  const detail =
    Array.isArray(location) && typeof location[0] === 'number' && typeof expected === 'string'
      ? `at character ${location[0] - schemeShift}: expected ${expected}`
      : scrub(error instanceof Error ? error.message : String(error), urlSecrets(url));
  return new ConfigError(
    `EVENT_STORE_URL: not a valid KurrentDB connection string (${redactedUrl(url)}) ${detail}`,
  );
}
