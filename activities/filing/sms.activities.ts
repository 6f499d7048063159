import { ApplicationFailure } from '@temporalio/activity';
import type { SmsCheckOutcome } from '../../events/filing/filing-commands';
import { ICP_SMS_SENDER, type SmsSender } from '../ports/notification.port';
import type { OpenSmsAnswer, SmsCodeStore } from '../ports/sms-code-store.port';

export interface SmsActivityDeps {
  codes: SmsCodeStore;
  sms: SmsSender;
  /** Opens what the API sealed; the key stays with whoever provides this. */
  openSmsAnswer: OpenSmsAnswer;
}

/** `YYYY-MM-DD HH:mm` in China time (UTC+8), as a text message names a moment. */
function chinaMinute(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The 12381 verification. The code exists in clear only between issue and send; it is never returned. */
export function createSmsActivities(deps: SmsActivityDeps) {
  return {
    async sendSmsChallenge(input: {
      challengeId: string;
      mobile: string;
      idLast6: string;
      appName: string;
      ttlMs: number;
      at: string;
      /** A resend of the round's code: a new code, valid until the round's window closes (`at + ttlMs`). */
      resend?: boolean;
    }): Promise<{ expiresAt: string }> {
      const now = new Date(input.at);
      const issued = await deps.codes.issue({
        challengeId: input.challengeId,
        idLast6: input.idLast6,
        ttlMs: input.ttlMs,
        now,
      });
      if (issued.code !== undefined) {
        await deps.sms.send({
          to: input.mobile,
          sender: ICP_SMS_SENDER,
          text: input.resend
            ? `【工信部ICP备案】您的APP备案「${input.appName}」新的短信核验码为${issued.code}，此前的核验码已作废，${chinaMinute(issued.expiresAt)}前有效。请勿泄露。`
            : `【工信部ICP备案】您的APP备案「${input.appName}」短信核验码为${issued.code}，24小时内有效。请勿泄露。`,
          idempotencyKey: issued.sendKey,
        });
        await deps.codes.markSent(input.challengeId, { sendKey: issued.sendKey, now });
      }
      return { expiresAt: issued.expiresAt };
    },

    async checkSmsAnswer(input: {
      challengeId: string;
      sealedAnswer: string;
      at: string;
    }): Promise<SmsCheckOutcome> {
      const answer = deps.openSmsAnswer(input.sealedAnswer);
      if (answer === null) {
        throw ApplicationFailure.nonRetryable('the answer could not be opened', 'invalid_command');
      }
      const result = await deps.codes.check({
        challengeId: input.challengeId,
        ...answer,
        now: new Date(input.at),
      });
      // An unknown challenge (an answer to an SMS never sent) counts as a wrong answer.
      return result === 'unknown_challenge' ? 'mismatch' : result;
    },
  };
}
