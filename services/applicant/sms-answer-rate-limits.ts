import { Inject, Injectable } from '@nestjs/common';
import { SMS_ANSWER_SEALER, type SmsAnswerSealer } from '../tokens';
import { RATE_LIMITS, type RateLimits } from './rate-limits.port';

const WINDOW_MS = 60_000;
/** SMS answers a minute, per filing and per client address. */
export const SMS_ANSWERS_PER_FILING = 10;
export const SMS_ANSWERS_PER_CLIENT = 30;

/**
 * The per-filing and per-client limits on SMS answers, counted in the shared `RateLimits` store so
 * that several API hosts enforce one limit. Keys are keyed digests: a client address cannot be read
 * back from the store (a plain hash of an IPv4 address could be reversed by trying them all).
 */
@Injectable()
export class SmsAnswerRateLimits {
  constructor(
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
    @Inject(SMS_ANSWER_SEALER) private readonly sealer: SmsAnswerSealer,
  ) {}

  /** Counts an answer against both limits; the seconds to wait when either is exceeded, else 0. */
  async secondsToWait(filingId: string, clientAddress: string, now: number = Date.now()): Promise<number> {
    const waits = await Promise.all([
      this.limits.take(this.key('filing', filingId), SMS_ANSWERS_PER_FILING, WINDOW_MS, now),
      this.limits.take(this.key('client', clientAddress), SMS_ANSWERS_PER_CLIENT, WINDOW_MS, now),
    ]);
    return Math.max(...waits);
  }

  private key(scope: 'filing' | 'client', value: string): string {
    return `sms-answer:${scope}:${this.sealer.keyedDigest(['sms-answer-rate-limit', scope, value])}`;
  }
}
