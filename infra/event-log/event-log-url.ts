import { ConfigError } from '../config/config';
import { isDatabaseUrl, redactDatabaseUrl } from '../postgres/database-url';

/** `esdb` is KurrentDB / EventStoreDB, whichever of its URL schemes named it. */
export type EventLogLocation =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string } | { kind: 'esdb'; url: string };

const KURRENTDB = /^(?:esdb|kurrentdb)(?:\+discover)?:\/\//;
const POSTGRES = /^postgres(?:ql)?:\/\//;

/** Every form EVENT_STORE_URL accepts, as error messages and `icp doctor` list them. */
export const EVENT_LOG_URL_FORMS =
  'sqlite:<file>, postgres://… or postgresql://…, kurrentdb://…, kurrentdb+discover://…, esdb://… or esdb+discover://…';

/**
 * `sqlite:/abs/file.sqlite` (embedded default), `postgres://…` / `postgresql://…` (several hosts
 * without KurrentDB), or `kurrentdb://…`, `kurrentdb+discover://…`, `esdb://…`, `esdb+discover://…`
 * (KurrentDB / EventStoreDB, the first production choice).
 */
export function parseEventLogUrl(url: string): EventLogLocation {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file)
      throw new ConfigError(
        'EVENT_STORE_URL: a sqlite: URL needs a file path, e.g. sqlite:./data/events.sqlite',
      );
    return { kind: 'sqlite', file };
  }
  if (POSTGRES.test(url)) {
    // The value is not repeated: it may hold the password.
    if (!isDatabaseUrl(url))
      throw new ConfigError(
        'EVENT_STORE_URL: a postgres:// URL needs a host, e.g. postgres://icp:…@db.example:5432/icp',
      );
    return { kind: 'postgres', url };
  }
  if (KURRENTDB.test(url)) return { kind: 'esdb', url };
  throw new ConfigError(`EVENT_STORE_URL: must be one of ${EVENT_LOG_URL_FORMS}`);
}

// What the client reads as `user:password@` (the password may hold `/` or `?`), or a bare `user@`.
const CREDENTIALS = /^((?:esdb|kurrentdb)(?:\+discover)?:\/\/)(?:[^:]+:[^@]+|[^@/?]*)@/;

/** The URL without user name or password, safe for logs, /health and `icp doctor`. */
export function redactEventLogUrl(url: string): string {
  if (POSTGRES.test(url)) return redactDatabaseUrl(url);
  return url.replace(CREDENTIALS, '$1***@');
}
