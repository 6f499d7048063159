import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the applicant types: the 12381 code and the last 6 characters of the ID number. */
export interface SmsAnswer {
  code: string;
  idLast6: string;
}

export class SealedAnswerError extends Error {
  override readonly name = 'SealedAnswerError';
}

const VERSION = 'v1';
const PREFIX = `${VERSION}.`;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The server secret is used for other things too, so the cipher key is derived from it for this one
 * purpose and version: a sealed answer cannot be opened with a key meant for anything else.
 */
function answerKey(secret: Buffer): Buffer {
  if (secret.length < MIN_SECRET_BYTES)
    throw new RangeError(`the sealing secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `icp-filing/sms-answer/${VERSION}`, 32));
}

/**
 * Seals the applicant's answer (AES-256-GCM) so it can travel through Temporal workflow history
 * without the code or the ID digits appearing there; only the verification activity opens it.
 * Returns `v1.` + base64url(iv | tag | ciphertext).
 */
export function sealSmsAnswer(secret: Buffer, answer: SmsAnswer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', answerKey(secret), iv);
  cipher.setAAD(Buffer.from(VERSION));
  const plaintext = Buffer.from(JSON.stringify({ code: answer.code, idLast6: answer.idLast6 }), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
}

/** Opens a sealed answer; throws SealedAnswerError if it was altered, sealed under another key, or is not one. */
export function openSmsAnswer(secret: Buffer, sealed: string): SmsAnswer {
  const key = answerKey(secret);
  if (typeof sealed !== 'string' || !sealed.startsWith(PREFIX)) {
    throw new SealedAnswerError(`not a sealed SMS answer (expected the "${PREFIX}" prefix)`);
  }
  const body = sealed.slice(PREFIX.length);
  const bytes = BASE64URL.test(body) ? Buffer.from(body, 'base64url') : Buffer.alloc(0);
  if (bytes.length <= IV_BYTES + TAG_BYTES) throw new SealedAnswerError('sealed SMS answer is malformed');

  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedAnswerError(
      'sealed SMS answer failed authentication (altered, or sealed under another key)',
    );
  }
  return parseAnswer(plaintext);
}

function parseAnswer(plaintext: Buffer): SmsAnswer {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'idLast6' in value &&
    typeof value.code === 'string' &&
    typeof value.idLast6 === 'string'
  ) {
    return { code: value.code, idLast6: value.idLast6 };
  }
  throw new SealedAnswerError('sealed SMS answer does not hold a code and idLast6');
}

/** `openSmsAnswer` under one key, answering `null` for anything that cannot be opened. */
export function smsAnswerOpener(secret: Buffer): (sealed: string) => SmsAnswer | null {
  return (sealed) => {
    try {
      return openSmsAnswer(secret, sealed);
    } catch (error) {
      if (error instanceof SealedAnswerError) return null;
      throw error;
    }
  };
}
