import { endOfChinaDayEpochMs, chinaDayOfEpochMs, formatEpochMsUtc } from '../working-days/china-time';
import { SMS_VERIFICATION_WINDOW_MS } from '../working-days/sla';

/**
 * The 12381 code may be sent again twice per SMS round: once when the platform asks
 * (`requested`), once by the process itself the next day at 12:00 China time (`scheduled`), each
 * while the round's 24-hour window is open. Each resend is a new code under a new challenge id; the
 * window stays the round's.
 */
export const SMS_RESEND_TRIGGERS = ['requested', 'scheduled'] as const;
export type SmsResendTrigger = (typeof SMS_RESEND_TRIGGERS)[number];

/** The scheduled resend's hour of the day, China time. */
export const SMS_SCHEDULED_RESEND_HOUR = 12;

/**
 * When the scheduled resend of a round whose window closes at `expiresAt` is due: 12:00 China time
 * on the China day after the code was first sent (`expiresAt` less the 24-hour window). Undefined
 * when the window closes first (a code sent before noon expires before the next day's noon).
 */
export function scheduledSmsResendAt(expiresAt: string): string | undefined {
  const expiresMs = Date.parse(expiresAt);
  const sentMs = expiresMs - SMS_VERIFICATION_WINDOW_MS;
  const nextDayStartMs = endOfChinaDayEpochMs(chinaDayOfEpochMs(sentMs)) + 1;
  const dueMs = nextDayStartMs + SMS_SCHEDULED_RESEND_HOUR * 3_600_000;
  return dueMs < expiresMs ? formatEpochMsUtc(dueMs) : undefined;
}

/** The challenge id of a round's `resend`-th resend: `<filingId>:sms:<round>:<resend>`. */
export function resentChallengeId(filingId: string, round: number, resend: number): string {
  return `${filingId}:sms:${round}:${resend}`;
}
