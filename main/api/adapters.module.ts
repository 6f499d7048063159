import { createHmac } from 'node:crypto';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import type { EventLog } from '../../events/ports/event-log.port';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { loadChineseCalendar, readChineseDaysDataset } from '../../infra/calendar/chinese-holidays';
import type { IcpConfig } from '../../infra/config/config';
import { redactEventLogUrl } from '../../infra/event-log/event-log-url';
import { openEventLog } from '../../infra/event-log/open-event-log';
import { openConfiguredIdempotencyKeys } from '../../infra/idempotency/open-idempotency-keys';
import { openConfiguredRateLimits } from '../../infra/rate-limits/open-rate-limits';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { lazyClient } from '../../infra/temporal/connection';
import { sealSmsAnswer } from '../../infra/verification/sealed-answer';
import { RATE_LIMITS } from '../../services/applicant/rate-limits.port';
import { TOKEN_VERIFIER } from '../../services/auth/auth.tokens';
import { REGISTRY_SIGNING_KEYS } from '../../services/signing/signing.tokens';
import { currentRetryDeadline } from '../../services/temporal/temporal-bounds';
import {
  EVENT_LOG,
  EVENT_LOG_LOCATION,
  IDEMPOTENCY_KEYS,
  SMS_ANSWER_SEALER,
  type SmsAnswerSealer,
  TEMPORAL_CLIENT,
  TEMPORAL_CONNECTION,
  TEMPORAL_TARGET,
  type TemporalTarget,
  TREE_HEAD_SIGNER,
  WORKING_DAY_CALENDAR,
  WORKING_DAY_DATASET,
} from '../../services/tokens';
import { SMS_ANSWER_SECRET } from '../worker/activity-deps';
import { configuredTreeHeadSigner } from './tree-head-signer';

/** The configuration, for the composition roots' own providers (feature modules never see it). */
export const CONFIG = Symbol('IcpConfig');

/** Binds every token the feature modules inject to its adapter, opened from the configuration. */
@Global()
@Module({})
export class AdaptersModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(IDEMPOTENCY_KEYS) private readonly idempotencyKeys: { close(): Promise<void> },
    @Inject(RATE_LIMITS) private readonly rateLimits: { close(): Promise<void> },
  ) {}

  static forRoot(config: IcpConfig): DynamicModule {
    const temporal = lazyClient(config, currentRetryDeadline);
    const target: TemporalTarget = { ...config.temporal };
    const providers = [
      { provide: CONFIG, useValue: config },
      { provide: EVENT_LOG, useFactory: () => openEventLog(config.eventLog.url) },
      { provide: EVENT_LOG_LOCATION, useValue: redactEventLogUrl(config.eventLog.url) },
      { provide: TEMPORAL_CONNECTION, useValue: temporal.connection },
      { provide: TEMPORAL_CLIENT, useValue: temporal.client },
      { provide: TEMPORAL_TARGET, useValue: target },
      { provide: IDEMPOTENCY_KEYS, useFactory: () => openConfiguredIdempotencyKeys(config) },
      { provide: RATE_LIMITS, useFactory: () => openConfiguredRateLimits(config) },
      { provide: SMS_ANSWER_SEALER, useFactory: () => smsAnswerSealer(config) },
      { provide: TOKEN_VERIFIER, useFactory: () => createTokenVerifier({ dataDir: config.dataDir }) },
      { provide: REGISTRY_SIGNING_KEYS, useFactory: () => loadRegistrySigningKeys(config.dataDir) },
      { provide: WORKING_DAY_CALENDAR, useFactory: () => loadChineseCalendar() },
      { provide: WORKING_DAY_DATASET, useFactory: () => readChineseDaysDataset() },
      { provide: TREE_HEAD_SIGNER, useFactory: () => configuredTreeHeadSigner(config.dataDir) },
    ];
    return {
      module: AdaptersModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.eventLog.close();
    await this.idempotencyKeys.close();
    await this.rateLimits.close();
  }
}

function smsAnswerSealer(config: IcpConfig): SmsAnswerSealer {
  const secret = loadOrCreateSecret(config.dataDir, SMS_ANSWER_SECRET);
  return {
    seal: (answer) => sealSmsAnswer(secret, answer),
    keyedDigest: (parts) => createHmac('sha256', secret).update(parts.join('\0')).digest('hex'),
  };
}
