import type { ProjectionLease } from '../../events/ports/projection-lease.port';
import type { IcpConfig } from '../../infra/config/config';
import { PgAdvisoryLease } from '../../infra/postgres/pg-advisory-lease';

/** The one lock every projector on a database competes for: one holder applies all the projections. */
export const PROJECTOR_LOCK_NAME = 'icp-projector:read-models';

/**
 * With DATABASE_URL (read models shared by every host), a PostgreSQL advisory lock so that one
 * projector applies events and the others stand by; without it (embedded, one process), none.
 */
export function openProjectorLease(config: IcpConfig): ProjectionLease | undefined {
  return config.database
    ? new PgAdvisoryLease(config.database.url, { name: PROJECTOR_LOCK_NAME })
    : undefined;
}
