import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import type { EventLog } from '../../events/ports/event-log.port';
import type { ProjectionStore } from '../../events/ports/read-models.port';
import type { ProjectorStatus, ProjectorStatusSource } from '../projections/projector.service';
import {
  EVENT_LOG,
  EVENT_LOG_LOCATION,
  PROJECTOR_STATUS,
  READ_MODELS,
  TEMPORAL_CONNECTION,
  TEMPORAL_TARGET,
  type TemporalTarget,
} from '../tokens';

const PING_TIMEOUT_MS = 3_000;

export interface DependencyHealth {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  temporal: DependencyHealth & { connected: boolean; address: string; namespace: string; mode: string };
  eventLog: DependencyHealth & { url: string };
  /** What this process's projector does (`external`: `icp projector` runs it); never makes it degraded. */
  projector: ProjectorStatus;
}

type Up = 'up' | 'down';

/**
 * What `/readyz` tells a load balancer: `ready` when the read routes can serve (the event log and
 * the read models answer). Temporal is reported beside them: without it the read routes still serve,
 * only the routes that start or change filings answer 503.
 */
export interface Readiness {
  status: 'ready' | 'not-ready';
  checks: { eventLog: Up; readModels: Up; temporal: Up };
  /** Informational: a standby or external projector leaves the read routes serving. */
  projector: ProjectorStatus;
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(EVENT_LOG_LOCATION) private readonly eventLogLocation: string,
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(READ_MODELS) private readonly readModels: ProjectionStore,
    @Optional() @Inject(PROJECTOR_STATUS) private readonly projector?: ProjectorStatusSource,
  ) {}

  private projectorStatus(): ProjectorStatus {
    return this.projector?.projectorStatus() ?? 'external';
  }

  async check(): Promise<HealthReport> {
    const [temporal, eventLog] = await Promise.all([this.pingTemporal(), probe(() => this.eventLog.ping())]);
    return {
      status: temporal.ok && eventLog.ok ? 'ok' : 'degraded',
      temporal: {
        ...temporal,
        connected: temporal.ok,
        address: this.temporal.address,
        namespace: this.temporal.namespace,
        mode: this.temporal.mode,
      },
      eventLog: { ...eventLog, url: this.eventLogLocation },
      projector: this.projectorStatus(),
    };
  }

  async readiness(): Promise<Readiness> {
    const [eventLog, readModels, temporal] = (
      await Promise.all([
        probe(() => withTimeout(this.eventLog.ping(), PING_TIMEOUT_MS)),
        probe(() => withTimeout(this.readModels.lowestCheckpoint(), PING_TIMEOUT_MS)),
        this.pingTemporal(),
      ])
    ).map((result): Up => (result.ok ? 'up' : 'down')) as [Up, Up, Up];
    return {
      status: eventLog === 'up' && readModels === 'up' ? 'ready' : 'not-ready',
      checks: { eventLog, readModels, temporal },
      projector: this.projectorStatus(),
    };
  }

  private pingTemporal(): Promise<DependencyHealth> {
    return probe(() =>
      this.connection.withDeadline(Date.now() + PING_TIMEOUT_MS, () =>
        this.connection.workflowService.getSystemInfo({}),
      ),
    );
  }
}

/** Rejects when `promise` has not settled within `ms`; a probe never waits past its budget. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probe(check: () => Promise<unknown>): Promise<DependencyHealth> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0] };
  }
}

export const PROJECTOR_STATUS_SCHEMA = {
  type: 'string',
  enum: ['active', 'standby', 'failed', 'stopped', 'external'],
  description:
    'active: this process applies events to the read models; standby: another holds the projector lease; external: `icp projector` runs it',
};
