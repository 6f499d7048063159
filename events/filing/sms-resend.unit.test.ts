import { resentChallengeId, scheduledSmsResendAt } from './sms-resend';

describe('the scheduled SMS resend', () => {
  it.each([
    // Sent 15:00 China time (07:00Z) on 1 Dec: due at noon China time (04:00Z) on 2 Dec, before 15:00.
    ['2026-12-02T07:00:00.000Z', '2026-12-02T04:00:00.000Z'],
    // Sent 23:30 China time on 1 Dec: noon of 2 Dec.
    ['2026-12-02T15:30:00.000Z', '2026-12-02T04:00:00.000Z'],
    // Sent 00:10 China time on 2 Dec (16:10Z on 1 Dec): noon of 3 Dec is after the window, so none.
    ['2026-12-02T16:10:00.000Z', undefined],
    // Sent 10:00 China time: expires 10:00 the next day, before its noon.
    ['2026-12-02T02:00:00.000Z', undefined],
    // Sent exactly at noon: the next day's noon is when the window closes, so none.
    ['2026-12-02T04:00:00.000Z', undefined],
  ])('of a window closing at %s is due at %s', (expiresAt, due) => {
    expect(scheduledSmsResendAt(expiresAt)).toBe(due);
  });

  it('names each resend of a round', () => {
    expect(resentChallengeId('f-1', 2, 1)).toBe('f-1:sms:2:1');
  });
});
