import type { EventLog } from '../../events/ports/event-log.port';
import type { ProjectionStore } from '../../events/ports/read-models.port';
import type { IcpConfig } from '../../infra/config/config';
import { type OpsReadiness, type OpsServer, startOpsServer } from '../../infra/ops-http/ops-server';
import { projectorMetrics } from '../../services/projections/projector-metrics';
import type { ProjectorState } from '../../services/projections/projector-standby';

export interface ProjectorOpsSource {
  eventLog: EventLog;
  store: ProjectionStore;
  state(): ProjectorState;
}

const PROBE_TIMEOUT_MS = 3_000;

async function answers(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await Promise.race([
      check(),
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS).unref(),
      ),
    ]);
    return 'up';
  } catch {
    return 'down';
  }
}

/**
 * Ready when it applies events (`active`) or can take over (`standby`), and the event log and the read
 * models answer; not ready once failed or stopped. The body names the role either way.
 */
export async function projectorReadiness(source: ProjectorOpsSource): Promise<OpsReadiness> {
  const { role, leaseHeld, reason } = source.state();
  const [eventLog, readModels] = await Promise.all([
    answers(() => source.eventLog.ping()),
    answers(() => source.store.lowestCheckpoint()),
  ]);
  const ready = (role === 'active' || role === 'standby') && eventLog === 'up' && readModels === 'up';
  return {
    ready,
    body: { projector: role, leaseHeld, ...(reason && { reason }), checks: { eventLog, readModels } },
  };
}

/** `icp projector`'s /livez, /readyz and /metrics on ICP_OPS_PORT; undefined when it is not set. */
export async function startProjectorOps(
  config: IcpConfig,
  source: ProjectorOpsSource,
): Promise<OpsServer | undefined> {
  if (!config.ops) return undefined;
  const registry = projectorMetrics(source);
  return startOpsServer(config.ops, {
    readiness: () => projectorReadiness(source),
    metrics: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
  });
}
