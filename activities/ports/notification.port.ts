/** The sender number of the MIIT filing system's SMS (step 2 of the filing process). */
export const ICP_SMS_SENDER = '12381';

export interface SmsMessage {
  /** Mobile number. */
  to: string;
  // `string & {}` keeps '12381' visible to editors instead of collapsing the union into `string`.
  sender: typeof ICP_SMS_SENDER | (string & {});
  text: string;
  /** A retried send with the same key is delivered once. */
  idempotencyKey: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** A retried send with the same key is delivered once. */
  idempotencyKey: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}
