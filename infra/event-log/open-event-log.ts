import { ConfigError } from '../config/config';
import type { EventLog } from './event-log.port';
import { parseEventLogUrl } from './event-log-url';
import { SqliteEventLog } from './sqlite/sqlite-event-log';

export function openEventLog(url: string): EventLog {
  const location = parseEventLogUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEventLog(location.file);
    case 'esdb':
      throw new ConfigError(
        'EVENT_STORE_URL: the EventStoreDB backend is not in this build yet (issue #6); use sqlite:',
      );
    default: {
      const unreachable: never = location;
      throw new ConfigError(`EVENT_STORE_URL: unsupported ${String(unreachable)}`);
    }
  }
}
