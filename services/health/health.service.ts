import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import type { IcpConfig } from '../../infra/config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { redactEventLogUrl } from '../../infra/event-log/event-log-url';
import { pingTemporal } from '../../infra/temporal/connection';
import { CONFIG, EVENT_LOG, TEMPORAL_CONNECTION } from '../tokens';

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
    @Inject(CONFIG) private readonly config: IcpConfig,
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
  ) {}

  async check(): Promise<HealthReport> {
    const [temporal, eventLog] = await Promise.all([
      probe(() => pingTemporal(this.connection)),
      probe(() => this.eventLog.ping()),
    ]);
    return {
      status: temporal.ok && eventLog.ok ? 'ok' : 'degraded',
      temporal: {
        ...temporal,
        connected: temporal.ok,
        address: this.config.temporal.address,
        namespace: this.config.temporal.namespace,
        mode: this.config.temporal.mode,
      },
      eventLog: { ...eventLog, url: redactEventLogUrl(this.config.eventLog.url) },
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
