import { ConfigError } from '../config/config';

export type EventLogLocation = { kind: 'sqlite'; file: string } | { kind: 'esdb'; url: string };

/** `sqlite:/abs/file.sqlite` (embedded default) or `esdb://…` / `esdb+discover://…` (production). */
export function parseEventLogUrl(url: string): EventLogLocation {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file)
      throw new ConfigError(
        'EVENT_STORE_URL: a sqlite: URL needs a file path, e.g. sqlite:./data/events.sqlite',
      );
    return { kind: 'sqlite', file };
  }
  if (/^esdb(\+discover)?:\/\//.test(url)) return { kind: 'esdb', url };
  throw new ConfigError('EVENT_STORE_URL: must start with sqlite:, esdb:// or esdb+discover://');
}

// What the client reads as `user:password@` (the password may hold `/` or `?`), or a bare `user@`.
const CREDENTIALS = /^(esdb(?:\+discover)?:\/\/)(?:[^:]+:[^@]+|[^@/?]*)@/;

/** The URL without user name or password, safe for logs, /health and `icp doctor`. */
export function redactEventLogUrl(url: string): string {
  return url.replace(CREDENTIALS, '$1***@');
}
