import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import type { IcpConfig } from '../../infra/config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { openEventLog } from '../../infra/event-log/open-event-log';
import { openIdempotencyKeys, type IdempotencyKeys } from '../../infra/idempotency/idempotency-keys';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import { lazyClient } from '../../infra/temporal/connection';
import { SMS_ANSWER_SECRET } from '../worker/activity-deps';
import {
  CONFIG,
  EVENT_LOG,
  SMS_ANSWER_KEY,
  IDEMPOTENCY_KEYS,
  TEMPORAL_CLIENT,
  TEMPORAL_CONNECTION,
} from '../../services/tokens';

@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(IDEMPOTENCY_KEYS) private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  static forRoot(config: IcpConfig): DynamicModule {
    const temporal = lazyClient(config);
    return {
      module: InfraModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: EVENT_LOG, useFactory: () => openEventLog(config.eventLog.url) },
        { provide: TEMPORAL_CONNECTION, useValue: temporal.connection },
        { provide: TEMPORAL_CLIENT, useValue: temporal.client },
        { provide: IDEMPOTENCY_KEYS, useFactory: () => openIdempotencyKeys(config.dataDir) },
        { provide: SMS_ANSWER_KEY, useFactory: () => loadOrCreateSecret(config.dataDir, SMS_ANSWER_SECRET) },
      ],
      exports: [CONFIG, EVENT_LOG, TEMPORAL_CONNECTION, TEMPORAL_CLIENT, IDEMPOTENCY_KEYS, SMS_ANSWER_KEY],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.eventLog.close();
    this.idempotencyKeys.close();
  }
}
