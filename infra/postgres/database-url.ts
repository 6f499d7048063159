/**
 * DATABASE_URL: `postgres://user:password@host:5432/database` (or `postgresql://…`). Absent, the
 * host-local stores stay in their embedded SQLite files. Error messages never repeat the value: it
 * may carry the password.
 */
export function isDatabaseUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return false;
  return url.hostname !== '' || url.searchParams.has('host');
}

// The user part, `user:password@` (the password may hold `/` or `?`) or a bare `user@`, as for EVENT_STORE_URL.
const CREDENTIALS = /^(postgres(?:ql)?:\/\/)(?:[^:]+:[^@]+|[^@/?]*)@/;
const PASSWORD_PARAMETER = /([?&]password=)[^&#]*/gi;

/** The URL without user name or password (nor a `password=` parameter), safe for logs and errors. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(CREDENTIALS, '$1***@').replace(PASSWORD_PARAMETER, '$1***');
}
