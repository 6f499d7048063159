import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EventLog } from '../../events/ports/event-log.port';
import type { ProjectionStore } from '../../events/ports/read-models.port';
import { type ProjectionLag, projectionLag } from './projector-lag';
import type { ProjectorRole, ProjectorState } from './projector-standby';

const ROLES: readonly ProjectorRole[] = ['active', 'standby', 'failed', 'stopped'];

export interface ProjectorMetricsSource {
  eventLog: EventLog;
  store: ProjectionStore;
  state(): ProjectorState;
}

/**
 * A projector process's metrics, read at each scrape: lag per projection in events and seconds, its
 * role, whether it holds the lease, and the default Node.js metrics.
 */
export function projectorMetrics(source: ProjectorMetricsSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // One reading of the lag per scrape, shared by both gauges.
  let reading: Promise<ProjectionLag[]> | undefined;
  const lagNow = (): Promise<ProjectionLag[]> =>
    (reading ??= projectionLag(source.eventLog, source.store).finally(() => (reading = undefined)));
  new Gauge({
    name: 'icp_projection_lag_events',
    help: 'Events in the log past the projection checkpoint (log head position minus checkpoint).',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const lag of await lagNow()) this.set({ projection: lag.projection }, lag.events);
    },
  });
  new Gauge({
    name: 'icp_projection_lag_seconds',
    help: 'Age of the oldest event the projection has not applied yet; 0 when caught up.',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const lag of await lagNow()) this.set({ projection: lag.projection }, lag.seconds);
    },
  });
  new Gauge({
    name: 'icp_projector_lease_held',
    help: 'Whether this process holds the projector lease (1) or stands by (0).',
    registers: [registry],
    collect() {
      this.set(source.state().leaseHeld ? 1 : 0);
    },
  });
  new Gauge({
    name: 'icp_projector_role',
    help: 'The projector role of this process: 1 for the current one.',
    labelNames: ['role'] as const,
    registers: [registry],
    collect() {
      const { role } = source.state();
      for (const each of ROLES) this.set({ role: each }, each === role ? 1 : 0);
    },
  });
  return registry;
}
