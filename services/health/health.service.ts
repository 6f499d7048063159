import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import type { EventLog } from '../../events/ports/event-log.port';
import {
  EVENT_LOG,
  EVENT_LOG_LOCATION,
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
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(EVENT_LOG_LOCATION) private readonly eventLogLocation: string,
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
  ) {}

  async check(): Promise<HealthReport> {
    const [temporal, eventLog] = await Promise.all([
      probe(() =>
        this.connection.withDeadline(Date.now() + PING_TIMEOUT_MS, () =>
          this.connection.workflowService.getSystemInfo({}),
        ),
      ),
      probe(() => this.eventLog.ping()),
    ]);
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
    };
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
