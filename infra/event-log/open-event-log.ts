import { ConfigError } from '../config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { leaseSharedPgPool } from '../postgres/pg-pool';
import { parseEventLogUrl } from './event-log-url';
import { EsdbEventLog } from './esdb/esdb-event-log';
import { PgEventLog } from './postgres/pg-event-log';
import { SqliteEventLog } from './sqlite/sqlite-event-log';

/**
 * `sqlite:<file>` opens the embedded log; `postgres://…` the log on PostgreSQL, on the host's shared
 * pool (the one DATABASE_URL's stores use when both URLs are the same); `kurrentdb://…` / `esdb://…`
 * (and their `+discover` forms) connect to KurrentDB / EventStoreDB.
 */
export function openEventLog(url: string): EventLog {
  const location = parseEventLogUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEventLog(location.file);
    case 'postgres': {
      const lease = leaseSharedPgPool(location.url);
      return new PgEventLog(lease.pool, location.url, { release: lease.release });
    }
    case 'esdb':
      return new EsdbEventLog(location.url);
    default: {
      const unreachable: never = location;
      throw new ConfigError(`EVENT_STORE_URL: unsupported ${String(unreachable)}`);
    }
  }
}
