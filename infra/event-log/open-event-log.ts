import { ConfigError } from '../config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { parseEventLogUrl } from './event-log-url';
import { EsdbEventLog } from './esdb/esdb-event-log';
import { SqliteEventLog } from './sqlite/sqlite-event-log';

/** `sqlite:<file>` opens the embedded log; `esdb://…` or `esdb+discover://…` connects to EventStoreDB. */
export function openEventLog(url: string): EventLog {
  const location = parseEventLogUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEventLog(location.file);
    case 'esdb':
      return new EsdbEventLog(location.url);
    default: {
      const unreachable: never = location;
      throw new ConfigError(`EVENT_STORE_URL: unsupported ${String(unreachable)}`);
    }
  }
}
