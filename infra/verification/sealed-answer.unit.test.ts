import { randomBytes } from 'node:crypto';
import { openSmsAnswer, SealedAnswerError, sealSmsAnswer } from './sealed-answer';

const secret = randomBytes(32);
const answer = { code: '048213', idLast6: '03001X' };

function flipByte(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice('v1.'.length), 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `v1.${bytes.toString('base64url')}`;
}

describe('sealed SMS answer', () => {
  it('round-trips the answer, sealing it as v1. + base64url without the code or ID characters in sight', () => {
    const sealed = sealSmsAnswer(secret, answer);

    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(answer.code);
    expect(sealed).not.toContain(answer.idLast6);
    expect(openSmsAnswer(secret, sealed)).toEqual(answer);
  });

  it('seals the same answer differently each time (random IV)', () => {
    expect(sealSmsAnswer(secret, answer)).not.toBe(sealSmsAnswer(secret, answer));
  });

  it('keeps what the applicant typed, unicode included', () => {
    const typed = { code: '０４８２１３', idLast6: ' 03001x' };
    expect(openSmsAnswer(secret, sealSmsAnswer(secret, typed))).toEqual(typed);
  });

  it('detects a change to any byte: IV, tag or ciphertext', () => {
    const sealed = sealSmsAnswer(secret, answer);
    const length = Buffer.from(sealed.slice(3), 'base64url').length;
    for (let index = 0; index < length; index += 1) {
      expect(() => openSmsAnswer(secret, flipByte(sealed, index))).toThrow(SealedAnswerError);
    }
  });

  it('refuses an answer sealed under another key', () => {
    const sealed = sealSmsAnswer(randomBytes(32), answer);
    expect(() => openSmsAnswer(secret, sealed)).toThrow(
      new SealedAnswerError('sealed SMS answer failed authentication (altered, or sealed under another key)'),
    );
  });

  it.each([
    ['an empty string', ''],
    ['no version prefix', Buffer.from('x'.repeat(40)).toString('base64url')],
    ['an unknown version', `v2.${'A'.repeat(60)}`],
    ['a body too short to hold IV and tag', `v1.${'A'.repeat(20)}`],
    ['characters outside base64url', `v1.${'A'.repeat(60)}+/=`],
    ['a truncated seal', sealSmsAnswer(secret, answer).slice(0, -4)],
  ])('throws SealedAnswerError for %s', (_label, sealed) => {
    expect(() => openSmsAnswer(secret, sealed)).toThrow(SealedAnswerError);
  });

  it('never puts the answer in its error messages', () => {
    const sealed = sealSmsAnswer(secret, answer);
    try {
      openSmsAnswer(randomBytes(32), sealed);
      throw new Error('expected a SealedAnswerError');
    } catch (error) {
      expect(error).toBeInstanceOf(SealedAnswerError);
      expect((error as Error).message).not.toContain(answer.code);
      expect((error as Error).message).not.toContain(sealed);
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => sealSmsAnswer(randomBytes(16), answer)).toThrow(RangeError);
  });
});
