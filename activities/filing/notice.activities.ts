import { ApplicationFailure } from '@temporalio/activity';
import {
  NOTICE_CHANNELS,
  type NoticeChannel,
  type NoticeRecipient,
  type OutcomeNotice,
} from '../../events/filing/outcome-notices';
import type { EmailSender, SmsSender } from '../ports/notification.port';
import { ICP_SMS_SENDER } from '../ports/notification.port';
import { renderNotice } from './notices';

export interface NoticeActivityDeps {
  sms: SmsSender;
  email: EmailSender;
}

export interface OutcomeNoticeRequest {
  filingId: string;
  /** The seq of the event the notice tells of: with the filing id, what makes a retry a no-op. */
  seq: number;
  notice: OutcomeNotice;
  to: NoticeRecipient;
}

/** The outbox's idempotency key of one notice on one channel: `<filingId>:<seq>:<channel>`. */
export const noticeKey = (filingId: string, seq: number, channel: NoticeChannel): string =>
  `${filingId}:${seq}:${channel}`;

export function createNoticeActivities(deps: NoticeActivityDeps) {
  return {
    /**
     * Tells the applicant of an outcome, in Chinese, on the notice's channels. Idempotent through the
     * senders' keys (the filing id and the event's seq): a retried attempt never sends twice.
     */
    async notifyOutcome(input: OutcomeNoticeRequest): Promise<{ channels: NoticeChannel[] }> {
      const { filingId, seq, notice, to } = input;
      // The request arrives as JSON: a template this build does not know fails at once, never retried.
      const known = NOTICE_CHANNELS[notice.template] as readonly NoticeChannel[] | undefined;
      if (!known) throw ApplicationFailure.nonRetryable('unknown notice template', 'invalid_notice');
      const rendered = renderNotice(notice);
      const channels = [...known];
      for (const channel of channels) {
        const idempotencyKey = noticeKey(filingId, seq, channel);
        if (channel === 'sms') {
          await deps.sms.send({ to: to.mobile, sender: ICP_SMS_SENDER, text: rendered.sms, idempotencyKey });
        } else {
          await deps.email.send({ to: to.email, ...rendered.email, idempotencyKey });
        }
      }
      return { channels };
    },
  };
}
