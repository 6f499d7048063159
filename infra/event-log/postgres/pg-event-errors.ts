import {
  EventLogUnavailableError,
  type ExpectedRevision,
  WrongExpectedRevisionError,
} from '../../../events/ports/event-log.port';
import { EventIdConflictError } from '../event-id-conflict-error';
import { EVENT_ID_CONFLICT, WRONG_EXPECTED_REVISION } from './pg-event-schema';

interface PgError {
  code?: unknown;
  detail?: unknown;
  message?: unknown;
}

// Socket failures (node), and what pg says when a connection cannot be made or is cut.
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
// SQLSTATE classes 08 (connection), 53 (out of resources, e.g. too many connections), 57P (shutdown,
// cannot connect now), 58 (system I/O).
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|58)/;

/** A server that cannot be reached or is shutting down: the caller may retry later. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as PgError;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}

export function toEventLogError(error: unknown, description: string): unknown {
  if (!isUnavailable(error)) return error;
  return new EventLogUnavailableError(
    `event log ${description} is unavailable: ${(error as Error).message}; retry later`,
    { cause: error },
  );
}

/** The appends of one `event_log_append` call, to name the one an error is about. */
export interface AppendedStream {
  streamId: string;
  expectedRevision: ExpectedRevision;
}

/** `event_log_append`'s own errors as the port's; anything else as `toEventLogError`. */
export function toAppendError(
  error: unknown,
  appends: readonly AppendedStream[],
  description: string,
): unknown {
  const { code, detail } = (error ?? {}) as PgError;
  if ((code !== WRONG_EXPECTED_REVISION && code !== EVENT_ID_CONFLICT) || typeof detail !== 'string') {
    return toEventLogError(error, description);
  }
  const facts = JSON.parse(detail) as Record<string, unknown>;
  const append = appends[Number(facts.append)];
  if (!append) return error;
  if (code === WRONG_EXPECTED_REVISION) {
    const actual = facts.actual === null ? undefined : Number(facts.actual);
    return new WrongExpectedRevisionError(append.streamId, append.expectedRevision, actual);
  }
  return new EventIdConflictError(String(facts.eventId), append.streamId, Number(facts.revision), {
    streamId: String(facts.existingStreamId),
    revision: Number(facts.existingRevision),
  });
}
