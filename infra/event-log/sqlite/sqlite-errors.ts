import { EventLogUnavailableError } from '../../../events/ports/event-log.port';

/**
 * By name, not `instanceof`: the native addon binds SqliteError once per process, so a second copy
 * of the module (Jest's per-file registries and realms) throws the first copy's class.
 */
function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError') return undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Another connection holds the lock we need; the operation may succeed if tried again. */
export function isLockContention(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Storage-level failures (disk full, I/O, unopenable file) become EventLogUnavailableError. */
export function toEventLogError(error: unknown, description: string): unknown {
  const code = sqliteCode(error);
  if (code && /^SQLITE_(CANTOPEN|IOERR|FULL|READONLY)/.test(code)) {
    return new EventLogUnavailableError(`event log ${description}: ${(error as Error).message} (${code})`, {
      cause: error,
    });
  }
  return error;
}
